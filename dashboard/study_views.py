"""Study materials' pages: the public list and pages (with the deputies-only ones for the township's deputies,
marked read or not), the PDF files behind an access check, and the back office where staff and officials
write, publish and take them down and see who of the deputies has read what."""

from contextlib import nullcontext

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboard import study
from dashboard.models import StudyMaterial
from dashboard.study_forms import StudyMaterialForm
from deputies.models import Deputy
from liaison import roles
from liaison.roles import role_required
from liaison.scoping import back_office_scope, enter_township, in_township, one_township_required, scope_of

PUBLIC_PAGE_SIZE = 30
OFFICE_PAGE_SIZE = 30
OFFICE = (roles.STAFF, roles.OFFICIAL)

# --- who is reading ---------------------------------------------------------------------------------


def _reader(request: HttpRequest, township=None) -> Deputy | None:
    """The deputy reading: a deputy's account of `township` (default: the page's, the host's). A deputy of
    another township reads as the public does: the deputy is looked up in that township's scope only."""
    if roles.DEPUTY not in roles.user_roles(request.user):
        return None
    with in_township(township) if township is not None else nullcontext():
        return Deputy.objects.filter(user=request.user, is_active=True).first()


def _office_sees(request: HttpRequest, material: StudyMaterial) -> bool:
    """Staff and officials whose own back office holds the material, whatever the host."""
    if not roles.user_roles(request.user) & set(OFFICE):
        return False
    with scope_of(back_office_scope(request)):
        return StudyMaterial.objects.filter(pk=material.pk).exists()


def _open(request: HttpRequest, material: StudyMaterial | None) -> tuple[StudyMaterial, Deputy | None]:
    """The material (found across the county by its code) and the deputy reading it, if this visitor may open
    it: the rest of the request is then in its township, and a GET by one of its deputies records their first
    opening. Else a 404, in the host's township, so the refusal does not even name the material's township.

    Anyone opens a published public material; a published deputies-only one, its township's deputies; any
    material, its township's back office."""
    if material is None:
        raise Http404
    reader = _reader(request, material.township) if material.is_published and material.is_for_deputies else None
    if not (material.is_public or reader is not None or _office_sees(request, material)):
        raise Http404
    enter_township(request, material.township)
    if reader is not None and request.method == "GET":
        study.study_material_open(material=material, deputy=reader)
    return material, reader


# --- public -----------------------------------------------------------------------------------------


@require_safe
def material_list(request: HttpRequest) -> HttpResponse:
    reader = _reader(request)
    materials = study.study_material_list_for_deputy(deputy=reader) if reader else study.study_material_list_public()
    page = Paginator(materials, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/study/list.html", {"page": page, "reader": reader})


@require_safe
def material_page(request: HttpRequest, code: str) -> HttpResponse:
    """A published material. A deputies-only one: its township's deputies (each GET by one records their first
    opening) and back office; everyone else gets a 404, as if it did not exist (a draft: everyone)."""
    material, reader = _open(request, study.study_material_get_published(code=code))
    return render(request, "dashboard/study/detail.html", {"material": material, "reader": reader})


@require_safe
def pdf(request: HttpRequest, code: str) -> FileResponse:
    """A material's PDF: anyone's while it is published for everyone; while published for deputies only, its
    township's deputies' (opening it counts as reading) and back office's; a draft's, the back office's."""
    material, _deputy = _open(request, study.study_material_get_with_file(code=code))
    response = FileResponse(material.pdf.open("rb"), content_type="application/pdf",
                            filename=f"{material.title}.pdf")
    if material.is_public:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        add_never_cache_headers(response)
    return response


# --- back office ------------------------------------------------------------------------------------


def _office_material(code: str) -> StudyMaterial:
    material = study.study_material_get_office(code=code)
    if material is None:
        raise Http404
    return material


def _refused(form: StudyMaterialForm, error: ValidationError) -> None:
    # The service's full_clean may name model fields the form has not (or none): shown above the form.
    form.add_error(None, ValidationError(error.messages))


def _fields(form: StudyMaterialForm) -> dict:
    data = form.cleaned_data
    return {"category": data["category"], "title": data["title"], "body": data["body"], "pdf": data["pdf"],
            "audience": data["audience"], "is_published": data["is_published"]}


@require_safe
@role_required(*OFFICE)
def office_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(study.study_material_list_office(), OFFICE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/study/office_list.html",
                  {"page": page, "audience": study.study_audience().count()})


@require_safe
@role_required(*OFFICE)
def office_material(request: HttpRequest, code: str) -> HttpResponse:
    material = _office_material(code)
    receipts, not_read = study.study_material_readers(material) if material.is_for_deputies else ([], [])
    return render(request, "dashboard/study/office_detail.html", {
        "material": material, "receipts": receipts, "not_read": not_read,
        "without_account": sum(1 for deputy in not_read if deputy.user_id is None)})


@require_http_methods(["GET", "POST"])
@role_required(*OFFICE)
@one_township_required
def material_new(request: HttpRequest) -> HttpResponse:
    form = StudyMaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            material = study.study_material_create(**_fields(form), by=request.user)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The material is saved."))
            return redirect("study_staff:material", material.code)
    return render(request, "dashboard/study/form.html", {"form": form, "heading": _("Add a study material")})


@require_http_methods(["GET", "POST"])
@role_required(*OFFICE)
def material_edit(request: HttpRequest, code: str) -> HttpResponse:
    material = _office_material(code)
    if request.method == "POST":
        form = StudyMaterialForm(request.POST, request.FILES, material=material)
    else:
        form = StudyMaterialForm(initial=StudyMaterialForm.initial_for(material), material=material)
    if request.method == "POST" and form.is_valid():
        try:
            study.study_material_update(material=material, remove_pdf=form.cleaned_data.get("remove_pdf", False),
                                        **_fields(form), by=request.user)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The material is saved."))
            return redirect("study_staff:material", material.code)
    return render(request, "dashboard/study/form.html",
                  {"form": form, "material": material, "heading": _("Edit: %(title)s") % {"title": material.title}})


@require_POST
@role_required(*OFFICE)
def publish(request: HttpRequest, code: str) -> HttpResponse:
    study.study_material_publish(material=_office_material(code), by=request.user)
    messages.success(request, _("The material is published."))
    return redirect("study_staff:material", code)


@require_POST
@role_required(*OFFICE)
def unpublish(request: HttpRequest, code: str) -> HttpResponse:
    study.study_material_unpublish(material=_office_material(code))
    messages.success(request, _("The material is taken down: only the back office sees it now."))
    return redirect("study_staff:material", code)

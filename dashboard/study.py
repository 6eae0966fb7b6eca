"""Study materials (docs/study.md): the services that write them and the read receipts, and the selectors
that read them, each in a fixed number of queries."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from dashboard.models import StudyCategory, StudyMaterial, StudyReadReceipt
from deputies.codes import issue_public_code
from deputies.models import Deputy
from liaison.scoping import check_same_township, county_wide, current_township

A = StudyMaterial.Audience

# --- services ---------------------------------------------------------------------------------------


def _set_published(material: StudyMaterial, is_published: bool, by) -> None:
    # The date and the person are those of the publication now in force: publishing again after
    # taking a material down dates it anew; saving a published one keeps its date.
    if is_published and not material.is_published:
        material.published_at, material.published_by = timezone.now(), by
    material.is_published = is_published


def _save(material: StudyMaterial) -> StudyMaterial:
    if material.township_id is None:  # set now, not in save(): the category is checked against it first
        material.township = current_township()
    material.full_clean()  # the PDF's content and size too (dashboard.files.validate_pdf)
    check_same_township(material, material.category)
    material.save()
    return material


@transaction.atomic
def study_material_create(
    *, category: StudyCategory, title: str, audience: str, body: str = "", pdf=None, is_published: bool = False,
    by=None,
) -> StudyMaterial:
    """A new material in the current township. `pdf` is an uploaded file (checked here as in the form) or None.
    Published at once when `is_published`, by `by`. Raises ValidationError (no text and no file, not a PDF…)."""
    material = StudyMaterial(code=issue_public_code(), category=category, title=title, body=body, audience=audience)
    if pdf:
        material.pdf = pdf
    _set_published(material, is_published, by)
    return _save(material)


@transaction.atomic
def study_material_update(
    *, material: StudyMaterial, category: StudyCategory, title: str, audience: str, body: str = "", pdf=None,
    remove_pdf: bool = False, is_published: bool, by=None,
) -> StudyMaterial:
    """Change a material. A new `pdf` replaces the old file; `remove_pdf` drops it. The file replaced is deleted
    once the change is committed. Its read receipts stay. Raises ValidationError."""
    replaced, storage = (material.pdf.name if material.pdf and (pdf or remove_pdf) else ""), material.pdf.storage
    material.category, material.title, material.body, material.audience = category, title, body, audience
    if pdf:
        material.pdf = pdf
    elif remove_pdf:
        material.pdf = ""
    _set_published(material, is_published, by)
    _save(material)
    if replaced:
        transaction.on_commit(lambda: storage.delete(replaced))
    return material


def study_material_publish(*, material: StudyMaterial, by) -> StudyMaterial:
    """Publish a draft (or a material taken down): dated now, by `by`. A published one is left as it is."""
    _set_published(material, True, by)
    material.save(update_fields=["is_published", "published_at", "published_by", "updated_at"])
    return material


def study_material_unpublish(*, material: StudyMaterial) -> StudyMaterial:
    """Take a material down: nobody but the back office opens it or its file any more. Its receipts stay."""
    _set_published(material, False, None)
    material.save(update_fields=["is_published", "updated_at"])
    return material


def study_material_open(*, material: StudyMaterial, deputy: Deputy) -> bool:
    """Record that `deputy` opened `material`, the first time only; True if this was the first time.

    Only a published deputies-only material of the deputy's own township keeps receipts; anything else
    records nothing. A second opening, or two at once, leaves the one row of the first (the unique
    constraint decides). Callers call it for deputies only: nobody else's visit ever writes."""
    if not (material.is_published and material.is_for_deputies) or deputy.township_id != material.township_id:
        return False
    if StudyReadReceipt.objects.filter(material=material, deputy=deputy).exists():
        return False
    try:
        with transaction.atomic():
            StudyReadReceipt.objects.create(township_id=material.township_id, material=material, deputy=deputy)
    except IntegrityError:  # the deputy's other tab got there first
        return False
    return True


# --- selectors --------------------------------------------------------------------------------------

# By category (the admin's order), newest first within each: a page of the list is then whole runs of
# categories, which the template groups.
_BY_CATEGORY = ("category__position", "category_id", "-published_at", "-pk")


def study_material_list_public() -> QuerySet[StudyMaterial]:
    """The township's published public materials with their categories (one query a page)."""
    return (StudyMaterial.objects.filter(is_published=True, audience=A.PUBLIC).select_related("category")
            .order_by(*_BY_CATEGORY))


def study_material_list_for_deputy(*, deputy: Deputy) -> QuerySet[StudyMaterial]:
    """Every published material of the township, deputies-only ones too, each with `is_read` for `deputy`
    (one query a page)."""
    read = StudyReadReceipt.objects.filter(material=OuterRef("pk"), deputy=deputy)
    return (StudyMaterial.objects.filter(is_published=True).select_related("category")
            .annotate(is_read=Exists(read)).order_by(*_BY_CATEGORY))


def latest_public_materials(limit: int = 5) -> list[StudyMaterial]:
    """The newest published public materials, for the portal's column: code, title, date and category name;
    one query."""
    return list(StudyMaterial.objects.filter(is_published=True, audience=A.PUBLIC).select_related("category")
                .only("code", "title", "published_at", "township_id", "category__name", "category__township_id")
                .order_by("-published_at", "-pk")[:limit])


def study_material_get_published(*, code: str) -> StudyMaterial | None:
    """A published material by its code, of any audience, across the county (the view enters its township and
    decides who may open it)."""
    with county_wide():
        return (StudyMaterial.objects.filter(code=code, is_published=True)
                .select_related("township", "category").first())


def study_material_get_with_file(*, code: str) -> StudyMaterial | None:
    """A material that has a PDF, published or not, across the county (study:pdf decides who gets it)."""
    with county_wide():
        return StudyMaterial.objects.filter(code=code).exclude(pdf="").select_related("township").first()


def study_material_list_office() -> QuerySet[StudyMaterial]:
    """Every material of the township, drafts too, newest first, each with `read_count` (one query a page)."""
    return (StudyMaterial.objects.select_related("category", "published_by")
            .annotate(read_count=Count("receipts")).order_by("-created_at", "-pk"))


def study_material_get_office(*, code: str) -> StudyMaterial | None:
    return StudyMaterial.objects.filter(code=code).select_related("category", "published_by").first()


def study_audience() -> QuerySet[Deputy]:
    """Whom a deputies-only material is for: the township's active deputies (those without a login account
    cannot open it online; the staff see them among those who have not read it)."""
    return Deputy.objects.filter(is_active=True)


def study_material_readers(material: StudyMaterial) -> tuple[list[StudyReadReceipt], list[Deputy]]:
    """Who opened `material` (first opening, earliest first) and which of the audience has not: two queries."""
    receipts = list(material.receipts.select_related("deputy").order_by("opened_at", "pk"))
    not_read = list(study_audience().exclude(study_receipts__material=material)
                    .only("pk", "name", "code", "level", "user_id", "township_id").order_by("level", "name_pinyin"))
    return receipts, not_read

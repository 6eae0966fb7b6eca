"""A constituent's data in the back office (docs/privacy.md): mobiles show masked until someone asks to see
one (audited), opening a case is opening its constituent's record (audited), and staff and officials
correct or erase the data on request from the case page (petitions.privacy, audited, on the timeline)."""

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from liaison import roles
from liaison.audit import Action, audit_record
from liaison.roles import role_required
from petitions import access, privacy
from petitions.forms.privacy import ConcernCorrectForm, ConstituentCorrectForm, EraseForm, RevealForm
from petitions.models import Concern, Reception
from petitions.views.work import acting_role

_CORRECTORS = {roles.STAFF, roles.OFFICIAL}
# Session: constituent ids whose full mobile this browser was shown, and when. A revealed number stays
# shown for a while (a call back), then is masked again.
_REVEALED = "revealed_mobiles"
REVEAL_SECONDS = 10 * 60
# Form prefixes on the case page: each form has a "reason", and ids must stay unique.
CORRECT, PERSON, ERASE, REVEAL = "correct", "person", "erase", "reveal"


def revealed_mobiles(request: HttpRequest) -> set[int]:
    now = time.time()
    return {int(pk) for pk, at in request.session.get(_REVEALED, {}).items() if now - at < REVEAL_SECONDS}


def _remember_reveal(request: HttpRequest, constituent_id: int) -> None:
    now = time.time()
    kept = {pk: at for pk, at in request.session.get(_REVEALED, {}).items() if now - at < REVEAL_SECONDS}
    request.session[_REVEALED] = {**kept, str(constituent_id): now}


def case_opened(request: HttpRequest, concern: Concern) -> None:
    """The case page shows its constituent's name and what they wrote: opening it is opening their record."""
    if concern.constituent_id:
        audit_record(actor=request.user, action=Action.OPEN_RECORD, subject=concern.constituent,
                     label=concern.tracking)


def may_correct(held: set[str]) -> bool:
    return bool(held & _CORRECTORS)


def case_privacy_context(request: HttpRequest, concern: Concern, held: set[str], bound: dict | None = None) -> dict:
    """What the case page needs to show the mobile (masked or revealed) and the correction forms."""
    bound = bound or {}
    constituent = concern.constituent
    context = {
        "mobile_revealed": constituent is not None and constituent.pk in revealed_mobiles(request),
        "may_correct": may_correct(held),
        "privacy_open": next(iter(bound), ""),
    }
    if context["may_correct"]:
        context["correct_form"] = bound.get(CORRECT) or ConcernCorrectForm(
            prefix=CORRECT, initial={"content": concern.content, "place": concern.place})
        if constituent is not None:
            context["person_form"] = bound.get(PERSON) or ConstituentCorrectForm(prefix=PERSON, initial={
                "name": constituent.name, "mobile": constituent.mobile if context["mobile_revealed"] else "",
                "village": constituent.village_id})
            context["erase_form"] = bound.get(ERASE) or EraseForm(prefix=ERASE)
    return context


def _case_for_corrector(request: HttpRequest, tracking: str) -> tuple[Concern, str]:
    concern = access.get_concern_for_user(request, tracking)
    held = access.roles_on(request.user, concern)
    if not may_correct(held):
        raise PermissionDenied
    return concern, acting_role(held, _CORRECTORS)


def _case_url(concern: Concern, anchor: str = "") -> str:
    return reverse("desk:concern", args=[concern.tracking]) + (f"#{anchor}" if anchor else "")


def _rerender(request: HttpRequest, concern: Concern, prefix: str, form) -> HttpResponse:
    from petitions.views.work_case import _render_case

    messages.error(request, _("Please correct the form below."))
    return _render_case(request, concern, privacy_bound={prefix: form})


@require_POST
@role_required()
def reveal_concern_mobile(request: HttpRequest, tracking: str) -> HttpResponse:
    concern = access.get_concern_for_user(request, tracking)
    if concern.constituent is None:
        raise Http404
    form = RevealForm(request.POST, prefix=REVEAL)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    audit_record(actor=request.user, action=Action.REVEAL_MOBILE, subject=concern.constituent,
                 label=concern.tracking, reason=reason)
    _remember_reveal(request, concern.constituent_id)
    return redirect(_case_url(concern, "constituent"))


@require_POST
@role_required(roles.STAFF, roles.OFFICIAL)
def reveal_reception_mobile(request: HttpRequest) -> HttpResponse:
    """The register's "show number": the reception is named in the form (the register's row)."""
    back = request.POST.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("receptions:list")
    pk = request.POST.get("reception", "")
    reception = Reception.objects.select_related("constituent").filter(pk=pk).first() if pk.isdigit() else None
    if reception is None:
        messages.error(request, _("This reception is not in the register."))
        return redirect(back)
    form = RevealForm(request.POST, prefix=REVEAL)
    audit_record(actor=request.user, action=Action.REVEAL_MOBILE, subject=reception.constituent,
                 label=f"reception {reception.pk}", reason=form.cleaned_data["reason"] if form.is_valid() else "")
    _remember_reveal(request, reception.constituent_id)
    return redirect(f"{back}#reception-{reception.pk}")


@sensitive_post_parameters()
@require_POST
@role_required(roles.STAFF, roles.OFFICIAL)
def correct_concern(request: HttpRequest, tracking: str) -> HttpResponse:
    concern, role = _case_for_corrector(request, tracking)
    form = ConcernCorrectForm(request.POST, prefix=CORRECT)
    if not form.is_valid():
        return _rerender(request, concern, CORRECT, form)
    data = form.cleaned_data
    try:
        privacy.concern_correct(concern=concern, actor=request.user, role=role, reason=data["reason"],
                                content=data["content"], place=data["place"])
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Correction saved; the timeline and the audit log record it."))
    return redirect(_case_url(concern))


@sensitive_post_parameters()
@require_POST
@role_required(roles.STAFF, roles.OFFICIAL)
def correct_constituent(request: HttpRequest, tracking: str) -> HttpResponse:
    concern, role = _case_for_corrector(request, tracking)
    if concern.constituent is None:
        raise Http404
    form = ConstituentCorrectForm(request.POST, prefix=PERSON)
    if not form.is_valid():
        return _rerender(request, concern, PERSON, form)
    data = form.cleaned_data
    try:
        privacy.constituent_correct(constituent=concern.constituent, actor=request.user, role=role,
                                    reason=data["reason"], name=data["name"],
                                    mobile=data["mobile"] or concern.constituent.mobile,
                                    village=data["village"])
    except ValidationError as err:
        form.add_error(None, err)
        return _rerender(request, concern, PERSON, form)
    messages.success(request, _("Correction saved; the timeline and the audit log record it."))
    return redirect(_case_url(concern))


@sensitive_post_parameters()
@require_POST
@role_required(roles.STAFF, roles.OFFICIAL)
def erase_constituent(request: HttpRequest, tracking: str) -> HttpResponse:
    concern, role = _case_for_corrector(request, tracking)
    if concern.constituent is None:
        raise Http404
    form = EraseForm(request.POST, prefix=ERASE)
    if not form.is_valid():
        return _rerender(request, concern, ERASE, form)
    try:
        privacy.constituent_erase(constituent=concern.constituent, actor=request.user, role=role,
                                  reason=form.cleaned_data["reason"])
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("The constituent's personal data was erased."))
    return redirect(_case_url(concern))

"""The vote's pages: the back office (staff and officials), the deputy's ballot from the session's QR code,
and the public result and list of projects."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from deputies.models import Deputy
from deputies.qr import render_svg
from liaison import roles
from liaison.roles import role_required
from liaison.scoping import found_in_township, one_township_required
from projects import selectors, services
from projects.forms import BallotForm, CandidateForm, PaperBallotForm, PaperVotersForm, SessionForm
from projects.models import Ballot

OFFICE = (roles.STAFF, roles.OFFICIAL)

# --- public -----------------------------------------------------------------------------------------


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/public_list.html", {"projects": selectors.project_list_public()})


@require_safe
def result(request: HttpRequest, code: str) -> HttpResponse:
    session = found_in_township(request, selectors.session_get_public(code=code))
    counted = services.tally(session)
    chosen = {c.pk for c in services.chosen(session, counted)}
    return render(request, "projects/result.html", {"session": session, "counted": counted, "chosen": chosen})


# --- the deputy's ballot ----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(roles.DEPUTY)
def ballot(request: HttpRequest, code: str) -> HttpResponse:
    session = selectors.session_by_code(code=code)
    deputy = Deputy.objects.filter(user=request.user).first()
    if session is None or deputy is None:
        raise Http404
    voted = Ballot.objects.filter(session=session, deputy=deputy).exists()
    candidates = selectors.session_candidates(session)
    form = BallotForm(request.POST or None, session=session, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(session=session, deputy=deputy, choices=form.cleaned_data["choices"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your ballot is cast. Thank you."))
        return redirect("projects_ballot:ballot", session.code)
    return render(request, "projects/ballot.html", {"session": session, "form": form, "voted": voted,
                                                    "deputy": deputy})


# --- back office ------------------------------------------------------------------------------------


@require_safe
@role_required(*OFFICE)
def candidates(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/candidates.html", {"candidates": selectors.candidate_list()})


@require_http_methods(["GET", "POST"])
@role_required(*OFFICE)
@one_township_required
def candidate_new(request: HttpRequest) -> HttpResponse:
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_save(concerns=form.cleaned_data["concern_codes"],
                                    suggestions=form.cleaned_data["suggestion_numbers"],
                                    **{k: form.cleaned_data[k] for k in CandidateForm.Meta.fields})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The candidate is in the reserve."))
            return redirect("projects_staff:candidates")
    return render(request, "projects/form.html", {"form": form, "heading": _("Add a candidate project")})


@require_safe
@role_required(*OFFICE)
def sessions(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/sessions.html", {"sessions": selectors.session_list()})


@require_http_methods(["GET", "POST"])
@role_required(*OFFICE)
@one_township_required
def session_new(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("projects_staff:session", session.code)
    return render(request, "projects/form.html", {"form": form, "heading": _("Prepare a vote")})


def _office_session(code: str):
    session = selectors.session_by_code(code=code)
    if session is None:
        raise Http404
    return session


@require_safe
@role_required(*OFFICE)
def session(request: HttpRequest, code: str) -> HttpResponse:
    """The session's page: its state, the live tally, the paper-ballot form and the moves."""
    session = _office_session(code)
    counted = services.tally(session)
    chosen = {c.pk for c in services.chosen(session, counted)} if session.is_announced else set()
    paper = PaperBallotForm(session=session, candidates=counted, prefix="paper",
                            initial={"token": PaperBallotForm.new_token()})
    voters = PaperVotersForm(session=session) if session.status in ("open", "closed") else None
    ballot_url = session.township.public_url + session.ballot_url()
    # The QR code deputies scan in the hall: our own SVG, drawn inline (no inline style: the CSP allows it).
    qr = mark_safe(render_svg(ballot_url).decode().split("?>", 1)[-1]) if session.status in ("draft", "open") else ""
    projects = session.projects.select_related("candidate", "responsible_unit") if session.is_announced else []
    return render(request, "projects/session.html", {"projects": projects,
        "session": session, "counted": counted, "chosen": chosen, "paper": paper, "qr": qr, "ballot_url": ballot_url,
        "ballots": session.ballots.count(), "voters": voters, "outstanding": services.papers_outstanding(session),
        "next_move": {"draft": "open", "open": "close", "closed": "announce"}.get(session.status)})


@require_POST
@role_required(*OFFICE)
def session_move(request: HttpRequest, code: str, action: str) -> HttpResponse:
    session = _office_session(code)
    move = {"open": services.session_open, "close": services.session_close,
            "announce": services.session_announce}.get(action)
    if move is None:
        raise Http404
    try:
        move(session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("projects_staff:session", session.code)


@require_POST
@role_required(*OFFICE)
def paper_voters(request: HttpRequest, code: str) -> HttpResponse:
    """Sign in the deputies who handed in a paper ballot (the register; their papers are entered apart)."""
    session = _office_session(code)
    form = PaperVotersForm(request.POST, session=session)
    if form.is_valid():
        try:
            signed = services.paper_voters_sign(session=session, deputies=form.cleaned_data["deputies"],
                                                entered_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, ngettext("%(n)s deputy signed in as a paper voter.",
                                               "%(n)s deputies signed in as paper voters.", len(signed))
                             % {"n": len(signed)})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("projects_staff:session", session.code)


@require_POST
@role_required(*OFFICE)
def paper_ballot(request: HttpRequest, code: str) -> HttpResponse:
    """One paper ballot from the box, without a name."""
    session = _office_session(code)
    form = PaperBallotForm(request.POST, session=session, candidates=selectors.session_candidates(session),
                           prefix="paper")
    if form.is_valid():
        try:
            services.paper_enter(session=session, choices=form.cleaned_data["choices"],
                                 submission_key=form.submission_key(request.user))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The paper ballot is entered."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("projects_staff:session", session.code)


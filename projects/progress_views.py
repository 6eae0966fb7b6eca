"""A chosen project carried out: its public page and photos, and its back-office page where the station and
the responsible unit's handlers enter milestones and answer, the supervising deputies comment from their
phones, and the township's deputies rate it at year end (docs/projects.md)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from deputies.models import Deputy
from liaison import roles
from liaison.roles import role_required
from liaison.scoping import county_wide, enter_township, found_in_township
from projects import progress, services
from projects.forms import ProjectForm
from projects.models import LivelihoodProject, Milestone, ProjectPhoto, SupervisionComment, VoteSession, YearEndRating
from projects.progress_forms import AnswerForm, CommentForm, MilestoneForm, RatingForm, ReachForm
from projects.progress_selectors import project_get_office, project_get_public, project_list_for, project_page

OFFICE = (roles.STAFF, roles.OFFICIAL)
DESK = (roles.DEPUTY, roles.HANDLER, *OFFICE)

# --- public -----------------------------------------------------------------------------------------


@require_safe
def project_public(request: HttpRequest, pk: int) -> HttpResponse:
    project = found_in_township(request, project_get_public(pk=pk))
    return render(request, "projects/public_detail.html", {"page": project_page(project, public=True)})


@require_safe
def photo(request: HttpRequest, key) -> FileResponse:
    """A milestone's or a supervision comment's photo: public, as its project is once the vote is announced."""
    with county_wide():
        picture = ProjectPhoto.objects.filter(key=key, project__session__status=VoteSession.Status.ANNOUNCED).first()
    if picture is None:
        raise Http404
    response = FileResponse(picture.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- back office ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """What the user is to one project: each right the page's forms and the POST views check."""

    is_office: bool
    is_unit_handler: bool
    deputy: Deputy | None
    is_supervisor: bool
    may_rate: bool

    @property
    def carries_out(self) -> bool:
        return self.is_office or self.is_unit_handler


def _deputy_of(user) -> Deputy | None:
    return Deputy.objects.filter(user=user).first() if roles.DEPUTY in roles.user_roles(user) else None


def _project_for(request: HttpRequest, pk: int) -> tuple[LivelihoodProject, Viewer]:
    """The project and what the user is to it; 404 for a project they have nothing to do with (a handler of
    another unit) or of another township. The rest of the request is in the project's township."""
    project = project_get_office(pk=pk)
    if project is None:
        raise Http404
    deputy = _deputy_of(request.user)
    is_deputy = deputy is not None and deputy.township_id == project.township_id
    viewer = Viewer(is_office=progress.is_office(request.user, project),
                    is_unit_handler=progress.is_unit_handler(request.user, project),
                    deputy=deputy if is_deputy else None,
                    is_supervisor=is_deputy and progress.is_supervisor(deputy, project),
                    may_rate=progress.may_rate(deputy, project))
    if not (viewer.carries_out or viewer.deputy):
        raise Http404
    enter_township(request, project.township)
    return project, viewer


def _back(project: LivelihoodProject, section: str) -> HttpResponse:
    return redirect(reverse("projects_staff:project", args=[project.pk]) + f"#{section}")


def _rating_form(project: LivelihoodProject, viewer: Viewer, data=None, *, published=None,
                 rated=None) -> RatingForm | None:
    """The station's paper-rating form, or the deputy's own for the years they have not rated; None if none.
    `published` (years) and `rated` (the deputy's ratings), if the page has read them already."""
    if published is None:
        published = set(project.rating_publications.values_list("year", flat=True))
    years = [y for y in progress.rating_years(project) if y not in published]
    if viewer.is_office:
        deputies = Deputy.objects.filter(is_active=True, level=Deputy.Level.TOWNSHIP)
        return RatingForm(data, prefix="rating", years=years, deputies=deputies) if years else None
    if viewer.may_rate:
        if rated is None:
            rated = YearEndRating.objects.filter(project=project, deputy=viewer.deputy)
        years = [y for y in years if y not in {r.year for r in rated}]
        return RatingForm(data, prefix="rating", years=years) if years else None
    return None


def _render(request: HttpRequest, project: LivelihoodProject, viewer: Viewer, *, bound=None, row=None,
            status: int = 200) -> HttpResponse:
    """The project's page. `bound`: the form posted with an error, shown again as typed (under its name, or on
    its milestone's or comment's `row`)."""
    bound = dict(bound or {})
    page = project_page(project, public=False)
    context = {"page": page, "viewer": viewer, "project": project,
               "nav": "projects" if viewer.is_office else "my_projects"}
    if viewer.is_office:
        context["settings_form"] = bound.get("settings") or ProjectForm(instance=project)
    if viewer.carries_out:
        context["milestone_form"] = bound.get("milestone") or MilestoneForm(prefix="milestone")
        for milestone in page.milestones:
            if not milestone.is_reached:
                milestone.reach_form = (bound.pop("reach") if row == ("reach", milestone.pk)
                                        else ReachForm(prefix=f"reach-{milestone.pk}"))
        for comment in page.comments:
            if not comment.is_answered:
                comment.answer_form = (bound.pop("answer") if row == ("answer", comment.pk)
                                       else AnswerForm(prefix=f"answer-{comment.pk}"))
    for form in (bound.get("reach"), bound.get("answer")):
        if form is not None:  # its milestone was reached, or its comment answered, meanwhile: say why here
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    if viewer.is_supervisor:
        context["comment_form"] = bound.get("comment") or CommentForm(prefix="comment")
    # Every published year has ratings (projects.progress.ratings_publish), so the summaries name them all.
    published = {summary.year for summary in page.ratings if summary.is_published}
    # The counts stay the station's until it publishes them.
    context["ratings"] = page.ratings if viewer.is_office else [s for s in page.ratings if s.is_published]
    if viewer.deputy is not None:
        context["my_ratings"] = list(YearEndRating.objects.filter(project=project, deputy=viewer.deputy)
                                     .order_by("-year"))
    context["rating_form"] = bound.get("rating") or _rating_form(project, viewer, published=published,
                                                                 rated=context.get("my_ratings"))
    return render(request, "projects/project.html", context, status=status)


@require_safe
@role_required(*DESK)
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects the user works on: a supervising deputy's first, each with its progress and unanswered
    comments."""
    deputy = _deputy_of(request.user)
    is_office = bool(roles.user_roles(request.user) & set(OFFICE))
    return render(request, "projects/progress.html", {
        "projects": project_list_for(request.user, deputy), "deputy": deputy,
        "nav": "projects" if is_office else "my_projects"})


@require_http_methods(["GET", "POST"])
@role_required(*DESK)
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """A chosen project's page. A POST is the station's form: responsible unit, supervisors, budget and dates."""
    project, viewer = _project_for(request, pk)
    if request.method != "POST":
        return _render(request, project, viewer)
    if not viewer.is_office:
        raise PermissionDenied
    form = ProjectForm(request.POST, instance=project)
    if form.is_valid():
        try:
            services.project_update(project=project, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The project is updated."))
            return _back(project, "facts")
    return _render(request, project, viewer, bound={"settings": form})


def _posted(request: HttpRequest, project: LivelihoodProject, viewer: Viewer, form, save, *, name: str, section: str,
            done: str, row=None) -> HttpResponse:
    """Save a valid form with `save(data)` and go back to the page's section; else show the page again with
    the form as typed and why."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return _back(project, section)
    return _render(request, project, viewer, bound={name: form}, row=row)


@require_POST
@role_required(roles.HANDLER, *OFFICE)
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = _project_for(request, pk)
    if not viewer.carries_out:
        raise PermissionDenied
    form = MilestoneForm(request.POST, request.FILES, prefix="milestone")
    return _posted(request, project, viewer, form, name="milestone", section="milestones",
                   save=lambda data: progress.milestone_plan(project=project, actor=request.user, **data),
                   done=_("The milestone is added."))


def _row(model, pk: int):
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_POST
@role_required(roles.HANDLER, *OFFICE)
def milestone_reach(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _row(Milestone, pk)
    project, viewer = _project_for(request, milestone.project_id)
    if not viewer.carries_out:
        raise PermissionDenied
    form = ReachForm(request.POST, request.FILES, prefix=f"reach-{milestone.pk}")
    milestone.project = project
    return _posted(request, project, viewer, form, name="reach", row=("reach", milestone.pk), section="milestones",
                   save=lambda data: progress.milestone_reach(milestone=milestone, actor=request.user, **data),
                   done=_("The milestone is reached."))


@require_POST
@role_required(roles.DEPUTY)
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = _project_for(request, pk)
    if not viewer.is_supervisor:
        raise PermissionDenied
    form = CommentForm(request.POST, request.FILES, prefix="comment")
    return _posted(request, project, viewer, form, name="comment", section="supervision",
                   save=lambda data: progress.supervision_comment(project=project, deputy=viewer.deputy, **data),
                   done=_("Your comment is sent to the responsible unit."))


@require_POST
@role_required(roles.HANDLER, *OFFICE)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    found = _row(SupervisionComment, pk)
    project, viewer = _project_for(request, found.project_id)
    if not viewer.carries_out:
        raise PermissionDenied
    found.project = project
    form = AnswerForm(request.POST, prefix=f"answer-{found.pk}")
    return _posted(request, project, viewer, form, name="answer", row=("answer", found.pk), section="supervision",
                   save=lambda data: progress.supervision_answer(comment=found, actor=request.user, **data),
                   done=_("The answer is sent."))


@require_POST
@role_required(roles.DEPUTY, *OFFICE)
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """A deputy's own rating, or one the station enters from a paper form."""
    project, viewer = _project_for(request, pk)
    form = _rating_form(project, viewer, request.POST)
    if form is None:
        if not (viewer.is_office or viewer.may_rate):
            raise PermissionDenied
        messages.error(request, _("There is nothing left to rate."))
        return _back(project, "rating")

    def save(data):
        deputy = data.get("deputy") or viewer.deputy
        progress.rating_cast(project=project, deputy=deputy, year=data["year"], grade=data["grade"],
                             entered_by=request.user)

    return _posted(request, project, viewer, form, name="rating", section="rating", save=save,
                   done=_("The rating is recorded."))


@require_POST
@role_required(*OFFICE)
def ratings_publish(request: HttpRequest, pk: int) -> HttpResponse:
    project, viewer = _project_for(request, pk)
    try:
        year = int(request.POST.get("year", ""))
        progress.ratings_publish(project=project, year=year, actor=request.user)
    except ValueError:
        messages.error(request, _("Choose a year."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The ratings of %(year)s are published.") % {"year": year})
    return _back(project, "rating")

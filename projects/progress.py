"""Carrying out a chosen project (docs/projects.md): milestones, the supervising deputies' comments and the
unit's answers, the deputies' year-end rating. Keyword-only services that check, save and return; every
refusal is a ValidationError with a code and a translated message, which the views show.

Who may do what:
- milestones and answers: the station (staff, officials) and the handlers of the project's responsible unit
  (`carries_out`);
- a supervision comment: a deputy among the project's supervisors;
- a rating: one of the township's active township-level deputies (the township people's congress, as in the
  vote), once per project and year, by their phone or entered from paper by the station, until the station
  publishes that year's ratings.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy
from liaison import roles
from liaison.scoping import check_same_township, home_township
from projects.models import (
    LivelihoodProject,
    Milestone,
    ProjectPhoto,
    RatingPublication,
    SupervisionComment,
    YearEndRating,
)

OFFICE = frozenset({roles.STAFF, roles.OFFICIAL})

# --- who ------------------------------------------------------------------------------------------


def _in_township(user, project: LivelihoodProject) -> bool:
    home = home_township(user)
    return home is None or home.pk == project.township_id  # county accounts: any township


def is_office(user, project: LivelihoodProject) -> bool:
    """Station staff or an official of the project's township (or of the county)."""
    return bool(roles.user_roles(user) & OFFICE) and _in_township(user, project)


def is_unit_handler(user, project: LivelihoodProject) -> bool:
    """A handler who is a member of the project's responsible unit."""
    return (roles.HANDLER in roles.user_roles(user) and project.responsible_unit_id is not None
            and project.responsible_unit.members.filter(pk=user.pk).exists())


def carries_out(user, project: LivelihoodProject) -> bool:
    """Enters milestones and answers supervision comments: the station, or the responsible unit's handlers."""
    return is_office(user, project) or is_unit_handler(user, project)


def is_supervisor(deputy: Deputy | None, project: LivelihoodProject) -> bool:
    return deputy is not None and project.supervisors.filter(pk=deputy.pk).exists()


def may_rate(deputy: Deputy | None, project: LivelihoodProject) -> bool:
    """The township people's congress rates: its active township-level deputies (not the county's or city's)."""
    return (deputy is not None and deputy.township_id == project.township_id and deputy.is_active
            and deputy.level == Deputy.Level.TOWNSHIP)


def _check_carries_out(actor, project: LivelihoodProject) -> None:
    if not carries_out(actor, project):
        raise ValidationError(_("Only the station or the project's responsible unit may do this."),
                              code="not_allowed")


def _photos_attach(project: LivelihoodProject, photos: Iterable, **of) -> None:
    """`photos` already cleaned (liaison.photos.clean_photo, as PhotosField does); `of`: milestone= or comment=."""
    for photo in photos:
        ProjectPhoto.objects.create(township_id=project.township_id, project=project, image=photo, **of)


def _lock(project: LivelihoodProject) -> None:
    """Lock the project's row for the rest of the transaction: writes that must not cross queue behind it."""
    LivelihoodProject.objects.select_for_update().filter(pk=project.pk).first()


def _check_not_published(project: LivelihoodProject, year: int) -> None:
    if RatingPublication.objects.filter(project=project, year=year).exists():
        raise ValidationError(_("The ratings of %(year)s are published; no more are taken.") % {"year": year},
                              code="published")


def _not_in_the_future(day) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError(_("A milestone cannot be reached on a future date."), code="future")


# --- milestones -----------------------------------------------------------------------------------


def milestone_plan(*, project: LivelihoodProject, title: str, progress: int, actor, planned_on=None,
                   reached_on=None, note: str = "", photos: Iterable = ()) -> Milestone:
    """Add a milestone after the project's others; with `reached_on` it is reached at once. Refused: an actor
    who does not carry the project out (not_allowed), a progress below an earlier milestone's (backwards), a
    reached date to come (future). Two added at once queue on the project's row and take the next places."""
    _check_carries_out(actor, project)
    _not_in_the_future(reached_on)
    with transaction.atomic():
        _lock(project)  # two added at once take the next two places
        earlier = Milestone.objects.filter(project=project).aggregate(position=Max("position"),
                                                                      progress=Max("progress"))
        if progress < (earlier["progress"] or 0):
            raise ValidationError(
                _("Progress does not go backwards: an earlier milestone is at %(progress)s %%.")
                % {"progress": earlier["progress"]}, code="backwards")
        milestone = Milestone(township_id=project.township_id, project=project, position=(earlier["position"] or 0) + 1,
                              title=title, progress=progress, planned_on=planned_on, reached_on=reached_on, note=note,
                              recorded_by=actor)
        milestone.full_clean()
        milestone.save()
        _photos_attach(project, photos, milestone=milestone)
    return milestone


def milestone_reach(*, milestone: Milestone, reached_on, actor, note: str = "", photos: Iterable = ()) -> Milestone:
    """Mark a planned milestone reached, with what was done and its photos. Refused: not_allowed, future, and a
    milestone reached already (reached)."""
    _check_carries_out(actor, milestone.project)
    _not_in_the_future(reached_on)
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
        if milestone.is_reached:
            raise ValidationError(_("This milestone is reached already."), code="reached")
        milestone.reached_on = reached_on
        if note:
            milestone.note = note
        milestone.full_clean()
        milestone.save(update_fields=["reached_on", "note"])
        _photos_attach(milestone.project, photos, milestone=milestone)
    return milestone


# --- supervision ----------------------------------------------------------------------------------


def supervision_comment(*, project: LivelihoodProject, deputy: Deputy, text: str,
                        photos: Iterable = ()) -> SupervisionComment:
    """A supervising deputy's comment (from their phone), with photos. Refused: a deputy of another township
    (other_township) or not among the project's supervisors (not_supervisor)."""
    check_same_township(project, deputy)
    if not is_supervisor(deputy, project):
        raise ValidationError(_("Only the project's supervising deputies comment on it."), code="not_supervisor")
    comment = SupervisionComment(township_id=project.township_id, project=project, deputy=deputy, text=text)
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        _photos_attach(project, photos, comment=comment)
    return comment


def supervision_answer(*, comment: SupervisionComment, answer: str, actor) -> SupervisionComment:
    """The responsible unit's answer (a handler of it, or the station): once. Refused: not_allowed, answered."""
    project = comment.project
    _check_carries_out(actor, project)
    with transaction.atomic():
        comment = SupervisionComment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_answered:
            raise ValidationError(_("This comment is answered already."), code="answered")
        comment.answer, comment.answered_at, comment.answered_by = answer.strip(), timezone.now(), actor
        # Answered by the unit's handler: the unit answered; by the station: no unit.
        comment.answering_unit = project.responsible_unit if not is_office(actor, project) else None
        comment.full_clean()
        comment.save()
    return comment


# --- the year-end rating --------------------------------------------------------------------------


def rating_years(project: LivelihoodProject) -> range:
    """The years a project may be rated for: from its vote's year to this one."""
    return range(project.session.held_on.year, timezone.localdate().year + 1)


def rating_cast(*, project: LivelihoodProject, deputy: Deputy, grade: str, year: int, entered_by) -> YearEndRating:
    """A deputy's rating of a project for a year: by the deputy (entered_by their account) or from paper by the
    station. Refused: another township's deputy (other_township), not one of the township's deputies
    (not_a_deputy), someone else entering it (not_allowed), a year outside the project's (year), a year already
    published (published), a second rating of the same deputy, project and year (rated — the database's unique
    constraint decides, also when two arrive at once)."""
    check_same_township(project, deputy)
    if not may_rate(deputy, project):
        raise ValidationError(_("Only the township's deputies rate its projects."), code="not_a_deputy")
    if entered_by is None or (entered_by.pk != deputy.user_id and not is_office(entered_by, project)):
        raise ValidationError(_("A deputy rates for themselves; the station enters paper ratings."),
                              code="not_allowed")
    if year not in rating_years(project):
        raise ValidationError(_("This project cannot be rated for %(year)s.") % {"year": year}, code="year")
    rating = YearEndRating(township_id=project.township_id, project=project, deputy=deputy, year=year, grade=grade,
                           entered_by=entered_by)
    rating.full_clean(validate_constraints=False)
    with transaction.atomic():
        _lock(project)  # a rating and the publication of its year queue behind each other
        _check_not_published(project, year)
        try:
            with transaction.atomic():
                rating.save()
        except IntegrityError:
            raise ValidationError(_("%(deputy)s has already rated this project for %(year)s.")
                                  % {"deputy": deputy.name, "year": year}, code="rated") from None
    return rating


def ratings_publish(*, project: LivelihoodProject, year: int, actor) -> RatingPublication:
    """Publish a project's ratings of a year: the summary goes on the public page and the year takes no more
    ratings. The station only. Refused: not_allowed, no ratings of that year (no_ratings), published already."""
    if not is_office(actor, project):
        raise ValidationError(_("Only the station publishes the ratings."), code="not_allowed")
    if not YearEndRating.objects.filter(project=project, year=year).exists():
        raise ValidationError(_("No ratings of %(year)s to publish.") % {"year": year}, code="no_ratings")
    publication = RatingPublication(township_id=project.township_id, project=project, year=year, published_by=actor)
    publication.full_clean(validate_constraints=False)
    with transaction.atomic():
        _lock(project)
        _check_not_published(project, year)
        publication.save()
    return publication

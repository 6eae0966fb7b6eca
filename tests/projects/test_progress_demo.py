"""The demo's projects at various progress (projects/demo.py, projects/demo_progress.py): two finished, several
mid-way, one not started, with photos, supervision and the finished ones' rating; run twice, made once."""

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from liaison import roles
from liaison.models import Membership
from liaison.scoping import in_township
from projects.demo import CANDIDATES, seed_projects
from projects.models import LivelihoodProject, Milestone, ProjectPhoto, SupervisionComment, YearEndRating
from projects.progress_selectors import with_progress
from tests.factories import DeputyFactory, UnitFactory, UserFactory, the_township


def _account(username: str, role: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    Membership.objects.create(user=user, township=the_township())
    return user


def _state():
    projects = with_progress(LivelihoodProject.objects.order_by("-votes", "pk"))
    return ([(p.candidate.title, p.progress, p.milestones.count(), p.photos.count(), p.comments.count(),
              p.ratings.count()) for p in projects],
            sorted(SupervisionComment.objects.values_list("text", "answer")))


@pytest.mark.django_db
def test_the_demo_projects_are_at_various_progress_and_seeded_once():
    township = the_township()
    official, handler = _account("official", roles.OFFICIAL), _account("handler", roles.HANDLER)
    for name in {unit for _title, _category, unit, *_rest in CANDIDATES}:
        UnitFactory(name=f"{township.name}{name}").members.add(handler)
    deputies = [DeputyFactory() for _ in range(12)]

    with in_township(township):
        assert seed_projects(township, recorded_by=official) == len(deputies)
        first = _state()
        assert seed_projects(township, recorded_by=official) == 0
        assert _state() == first

    progress = [row[1] for row in first[0]]
    assert progress == [100, 100, 75, 40, 40, 25, 10, 0]
    assert all(row[2] == 5 for row in first[0])  # every project has its plan of milestones
    assert [row[3] > 0 for row in first[0]] == [True] * 7 + [False]  # photos of what was reached
    assert [row[5] for row in first[0]] == [12, 12, 0, 0, 0, 0, 0, 0]  # the finished ones rated, by every deputy
    assert [answer for _text, answer in first[1]].count("") == 1  # one comment waits for its answer
    assert not Milestone.objects.filter(project__actual_end__isnull=False, reached_on__isnull=True).exists()
    photo = ProjectPhoto.objects.first()
    with Image.open(photo.image.open("rb")) as image:
        assert (image.format, image.size) == ("JPEG", (320, 240))
    assert {r.entered_by for r in YearEndRating.objects.all()} <= {official, *(d.user for d in deputies)}
    assert LivelihoodProject.objects.filter(rating_publications__isnull=False).count() == 2

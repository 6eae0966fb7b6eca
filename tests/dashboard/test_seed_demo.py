import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from deputies.models import Deputy, LiaisonHousehold, Site
from liaison import roles


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # Seeding renders 98 portraits, 110 QR codes and a year of concerns: do it once for the module,
    # then flush so no other test sees demo rows (flush re-creates the role groups via post_migrate).
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_demo_has_the_baita_figures(seeded):
    levels = {level: Deputy.objects.filter(level=level).count() for level in Deputy.Level.values}

    assert Deputy.objects.count() == 98
    assert (levels[Deputy.Level.CITY], levels[Deputy.Level.COUNTY], levels[Deputy.Level.TOWNSHIP]) == (5, 18, 75)
    assert [Site.objects.filter(kind=k).count() for k in ("station", "point", "room")] == [1, 5, 6]


@pytest.mark.django_db
def test_every_demo_deputy_has_a_portrait_a_qr_and_ten_households(seeded):
    from django.db.models import Count

    counts = Deputy.objects.annotate(n=Count("households")).values_list("n", flat=True)

    assert min(counts) >= 10
    assert not Deputy.objects.filter(photo="").exists()
    assert not Deputy.objects.filter(qr_png="").exists()


@pytest.mark.django_db
def test_demo_has_one_account_per_role(seeded):
    users = get_user_model().objects.prefetch_related("groups")

    assert {group.name for user in users for group in user.groups.all()} == set(roles.PERMISSIONS)
    assert users.get(username="admin").is_superuser
    assert Deputy.objects.filter(user__username="deputy").exists()


@pytest.mark.django_db
def test_seeding_twice_adds_nothing(seeded):
    before = (Deputy.objects.count(), LiaisonHousehold.objects.count(), Site.objects.count(),
              get_user_model().objects.count())

    call_command("seed_demo", stdout=io.StringIO())

    assert before == (Deputy.objects.count(), LiaisonHousehold.objects.count(), Site.objects.count(),
                      get_user_model().objects.count())


@pytest.mark.django_db
def test_demo_has_a_year_of_concerns_in_every_channel_and_state(seeded):
    from django.utils import timezone

    from petitions.models import Concern, Reception

    concerns = Concern.objects.all()
    assert concerns.count() >= 250
    assert set(concerns.values_list("channel", flat=True)) == set(Concern.Channel.values)
    assert set(concerns.values_list("status", flat=True)) == set(Concern.Status.values)
    assert {"fixed", "explained", "not_feasible", "rejected", "duplicate"} <= set(concerns.values_list("outcome", flat=True))
    oldest = concerns.order_by("created_at").first().created_at
    assert (timezone.now() - oldest).days >= 330
    assert any(c.is_overdue for c in concerns.filter(status__in=["assigned", "in_progress"]))
    assert concerns.filter(events__kind="rating", status="in_progress").exists()  # reopened after a bad rating
    assert Reception.objects.count() >= 500


@pytest.mark.django_db
def test_the_demo_handler_and_deputy_have_work_waiting(seeded):
    from petitions.models import Concern

    open_statuses = ["assigned", "in_progress"]
    assert Concern.objects.filter(unit__members__username="handler", status__in=open_statuses).exists()
    assert Concern.objects.filter(deputy__user__username="deputy").exists()

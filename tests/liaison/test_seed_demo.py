import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from deputies.models import Area, Deputy, LiaisonHousehold, Site, Village
from liaison import roles


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # Seeding renders 98 portraits and 110 QR codes: do it once for the module.
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        LiaisonHousehold.objects.all().delete()
        Deputy.objects.all().delete()
        Site.objects.all().delete()
        Village.objects.all().delete()
        Area.objects.all().delete()
        get_user_model().objects.all().delete()


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

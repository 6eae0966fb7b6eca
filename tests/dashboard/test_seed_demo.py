import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings

from deputies.models import Deputy, LiaisonHousehold, Site
from liaison import roles
from liaison.models import Township, TownshipHost
from liaison.scoping import in_township
from petitions.models import Concern, Reception, Unit


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # Seeding renders ~120 portraits and QR codes and a year of concerns: do it once for the module,
    # then flush so no other test sees demo rows (flush re-creates the role groups via post_migrate).
    with django_db_blocker.unblock(), override_settings(DEMO_MODE=True):  # seed_demo runs only in demo mode
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        call_command("flush", interactive=False, verbosity=0)


def _township(code):
    return Township.objects.get(code=code)


@pytest.mark.django_db
def test_demo_has_the_baita_figures_in_baita(seeded):
    with in_township(_township("baita")):
        levels = {level: Deputy.objects.filter(level=level).count() for level in Deputy.Level.values}

        assert Deputy.objects.count() == 98
        assert (levels[Deputy.Level.CITY], levels[Deputy.Level.COUNTY], levels[Deputy.Level.TOWNSHIP]) == (5, 18, 75)
        assert [Site.objects.filter(kind=k).count() for k in ("station", "point", "room")] == [1, 5, 6]
        assert Site.objects.get(kind="station").name == "白塔镇人大代表联络站"


@pytest.mark.django_db
def test_the_small_townships_have_their_own_deputies_places_and_cases(seeded):
    baita = _township("baita")
    assert baita.is_default
    for code, name in (("hengxi", "横溪镇"), ("butou", "埠头镇")):
        township = _township(code)
        assert (township.name, township.county) == (name, baita.county)
        assert TownshipHost.objects.filter(township=township, host=f"{code}.localhost").exists()
        with in_township(township):
            assert 10 <= Deputy.objects.count() <= 15
            assert Site.objects.get(kind="station").name == f"{name}人大代表联络站"
            assert 30 <= Concern.objects.count() <= 50
            assert Reception.objects.exists()
            departments = Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).values_list("name", flat=True)
            assert departments and all(d.startswith(name) for d in departments)
            # Every row it uses is its own: no case names a deputy or a unit of another township.
            assert not Concern.objects.exclude(deputy__township=township).exists()
            assert not Concern.objects.exclude(unit=None).exclude(unit__township=township).exists()


@pytest.mark.django_db
def test_every_demo_deputy_has_a_portrait_a_qr_and_ten_households(seeded):
    counts = Deputy.objects.annotate(n=Count("households")).values_list("n", flat=True)

    assert min(counts) >= 10
    assert not Deputy.objects.filter(photo="").exists()
    assert not Deputy.objects.filter(qr_png="").exists()


@pytest.mark.django_db
def test_demo_has_one_account_per_role_each_in_its_township(seeded):
    users = get_user_model().objects.prefetch_related("groups").select_related("membership__township")

    assert {group.name for user in users for group in user.groups.all()} == set(roles.PERMISSIONS)
    assert users.get(username="admin").is_superuser
    assert Deputy.objects.filter(user__username="deputy").exists()
    townships = {u.username: u.membership.township.code for u in users.filter(membership__isnull=False)}
    assert {townships[name] for name in ("staff", "deputy", "handler", "official")} == {"baita"}
    assert townships["hengxi"] == "hengxi"
    assert "admin" not in townships and "county" not in townships
    assert users.get(username="county").groups.filter(name=roles.COUNTY_OFFICIAL).exists()
    assert "hengxi" in seeded and "county" in seeded and "hengxi.localhost" in seeded


@pytest.mark.django_db
def test_seeding_twice_adds_nothing(seeded):
    def counts():
        return [model.objects.count() for model in (Deputy, LiaisonHousehold, Site, Concern, Reception, Unit,
                                                    Township, TownshipHost, get_user_model())]

    before = counts()

    with override_settings(DEMO_MODE=True):
        call_command("seed_demo", stdout=io.StringIO())

    assert counts() == before


@pytest.mark.django_db
def test_demo_has_a_year_of_concerns_in_every_channel_and_state(seeded):
    from django.utils import timezone

    with in_township(_township("baita")):
        concerns = Concern.objects.all()
        assert concerns.count() >= 250
        assert set(concerns.values_list("channel", flat=True)) == set(Concern.Channel.values)
        assert set(concerns.values_list("status", flat=True)) == set(Concern.Status.values)
        assert {"fixed", "explained", "not_feasible", "rejected", "duplicate"} <= set(
            concerns.values_list("outcome", flat=True))
        oldest = concerns.order_by("created_at").first().created_at
        assert (timezone.now() - oldest).days >= 330
        assert any(c.is_overdue for c in concerns.filter(status__in=["assigned", "in_progress"]))
        assert concerns.filter(events__kind="rating", status="in_progress").exists()  # reopened after a bad rating
        assert Reception.objects.count() >= 500


@pytest.mark.django_db
def test_the_demo_handler_and_deputy_have_work_waiting(seeded):
    open_statuses = ["assigned", "in_progress"]
    assert Concern.objects.filter(unit__members__username="handler", status__in=open_statuses).exists()
    assert Concern.objects.filter(deputy__user__username="deputy").exists()


def _desk_townships(client, username) -> set[str]:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get("/desk/concerns/")
    assert response.status_code == 200
    return {c.township.code for c in response.context["page"].paginator.object_list.select_related("township")}


@pytest.mark.django_db
def test_the_hengxi_login_sees_hengxi_only_and_the_county_login_the_whole_county(seeded, client):
    assert _desk_townships(client, "hengxi") == {"hengxi"}
    assert _desk_townships(client, "staff") == {"baita"}

    assert _desk_townships(client, "county") == {"baita", "hengxi", "butou"}
    client.post("/county/township/", {"township": "butou", "next": "/desk/concerns/"})
    assert _desk_townships(client, "county") == {"butou"}


@pytest.mark.django_db
def test_demo_data_sends_no_messages(seeded):
    # Deputies, accounts and a year of cases in three townships, and not one text or e-mail queued.
    from liaison.models import Notification

    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_demo_has_a_year_of_household_contacts_some_silent_deputies_and_household_concerns(seeded):
    from deputies.households import deputy_list_not_contacting
    from deputies.models import HouseholdContact

    with in_township(_township("baita")):
        contacted = HouseholdContact.objects.values("deputy").distinct().count()
        silent = list(deputy_list_not_contacting())
        raised = Concern.objects.filter(household_contact__isnull=False)

        assert contacted >= 80 and 5 <= len(silent) <= 25
        assert 2 <= raised.count() <= 3 and all(c.channel == "household" for c in raised)
        assert raised.filter(deputy__user__username="deputy").exists()


@pytest.mark.django_db
def test_demo_has_a_year_of_published_duty_days_at_the_baita_station(seeded):
    import datetime

    from django.utils import timezone

    from deputies.models import DutyDay, Shift

    with in_township(_township("baita")):
        station = Site.objects.get(kind="station")
        days = DutyDay.objects.filter(site=station)
        today = timezone.localdate()
        assert 26 <= days.count() <= 29 and not days.filter(is_published=False).exists()
        assert days.filter(held_on__gt=today + datetime.timedelta(days=30)).exists()
        past = Shift.objects.filter(day__site=station, day__held_on__lt=today)
        assert past.filter(attended=True).count() > 0.8 * past.count()
        counts = list(Shift.objects.filter(day__site=station).values("deputy").annotate(n=Count("pk"))
                      .values_list("n", flat=True))
        assert max(counts) - min(counts) <= 1
        # The demo deputy account has duty days of its own, at its point, on the 15th.
        own = Shift.objects.filter(deputy__user__username="deputy")
        assert own.exists() and {shift.day.held_on.day for shift in own.select_related("day")} == {15}


@pytest.mark.django_db
def test_demo_has_a_year_of_activities_of_every_kind_and_two_reports_to_voters(seeded):
    from deputies.models import Activity, ActivityPhoto, EnterpriseOpinion, ReportToVoters

    with in_township(_township("baita")):
        assert set(Activity.objects.values_list("kind", flat=True)) == set(Activity.Kind.values)
        assert ActivityPhoto.objects.exists() and Activity.objects.filter(is_public=False).exists()
        reports = ReportToVoters.objects.all()
        assert reports.count() == 2 and all(r.ratings_total <= r.voters_present for r in reports)
        raised = EnterpriseOpinion.objects.exclude(concern_tracking="")
        assert raised.count() == 1 and EnterpriseOpinion.objects.filter(concern_tracking="").exists()
        assert Concern.objects.get(tracking=raised.get().concern_tracking).channel == "enterprise"


@pytest.mark.django_db
def test_baita_has_a_year_of_suggestions_in_every_state_36_adopted(seeded):
    from petitions.models import Suggestion

    with in_township(_township("baita")):
        assert Suggestion.objects.count() == 42
        assert Suggestion.objects.filter(answer_category__is_adopted=True).count() == 36
        assert set(Suggestion.objects.values_list("status", flat=True)) == set(Suggestion.Status.values)
        assert Suggestion.objects.filter(rehandle_count=1, status="closed").count() == 1
        assert not [s for s in Suggestion.objects.filter(status__in=["assigned", "accepted"]) if s.is_overdue]
        assert Suggestion.objects.filter(deputy__user__username="deputy").exists()


@pytest.mark.django_db
def test_demo_has_baitas_vote_on_livelihood_projects(seeded):
    from projects.models import Ballot, LivelihoodProject, VoteSession
    from projects.selectors import candidate_list

    with in_township(_township("baita")):
        session = VoteSession.objects.get()
        assert (session.status, session.seats, session.candidates.count()) == ("announced", 8, 12)
        assert Ballot.objects.filter(session=session).count() == 75
        assert Ballot.objects.filter(session=session, is_paper=True).exists()
        projects = LivelihoodProject.objects.all()
        assert projects.count() == 8 and all(p.responsible_unit and p.supervisors.count() == 3 for p in projects)
        assert any(c.demand > 0 for c in candidate_list())


@pytest.mark.django_db
def test_demo_has_baitas_study_materials_two_for_deputies_with_receipts(seeded):
    from dashboard.models import StudyCategory, StudyMaterial, StudyReadReceipt

    with in_township(_township("baita")):
        assert list(StudyCategory.objects.values_list("name", flat=True)) == ["代表法解读", "履职指南", "政策文件"]
        assert StudyMaterial.objects.count() == 10 and StudyMaterial.objects.filter(is_published=False).count() == 1
        deputies_only = StudyMaterial.objects.filter(audience="deputies")
        assert deputies_only.count() == 2
        assert sorted(m.receipts.count() for m in deputies_only) == [6, 24]
        assert StudyReadReceipt.objects.filter(deputy__user__username="deputy").count() == 1
        with_file = StudyMaterial.objects.exclude(pdf="").get()
        assert with_file.pdf.read(5) == b"%PDF-"
    with in_township(_township("hengxi")):
        assert not StudyMaterial.objects.exists()

"""Migrating a one-station database: every row lands in the default township, nothing lost (issue 7)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from liaison.scoping import county_wide

BEFORE = [("liaison", "0004_holidays_2026_2027"), ("deputies", "0003_portraits"), ("petitions", "0005_desk_search")]
MODELS = {
    "deputies": ["Area", "Village", "Site", "Deputy", "LiaisonHousehold"],
    "petitions": ["Unit", "Category", "Constituent", "Reception", "Concern", "ConcernEvent", "ConcernPhoto"],
    "liaison": ["Notification"],
}


def _fill_the_old_station(apps) -> None:
    get = apps.get_model
    User = get("auth", "User")
    staff = User.objects.create(username="old-staff", is_staff=True)
    User.objects.create(username="old-admin", is_superuser=True, is_staff=True)
    area = get("deputies", "Area").objects.create(name="白塔片区")
    village = get("deputies", "Village").objects.create(name="白塔村", area=area)
    site = get("deputies", "Site").objects.create(kind="station", name="白塔镇人大代表联络站", code="s1")
    deputy = get("deputies", "Deputy").objects.create(name="王智慧", level=5, code="d1", site=site, village=village,
                                                      mobile="13900000001")
    get("deputies", "LiaisonHousehold").objects.create(deputy=deputy, head="陈西荣", phone="13900000002",
                                                       village=village)
    unit = get("petitions", "Unit").objects.create(name="白塔村驻村干部组", kind="village_team", village=village)
    category = get("petitions", "Category").objects.create(name="环境卫生", default_unit=unit)
    constituent = get("petitions", "Constituent").objects.create(name="陈西荣", mobile="13900000003")
    reception = get("petitions", "Reception").objects.create(site=site, constituent=constituent, matters="路灯",
                                                             received_on=datetime.date(2026, 11, 2), recorded_by=staff)
    concern = get("petitions", "Concern").objects.create(
        tracking="abc2345678", channel="walk_in", deputy=deputy, site=site, constituent=constituent,
        reception=reception, category=category, village=village, content="路灯不亮", unit=unit, status="assigned")
    event = get("petitions", "ConcernEvent").objects.create(concern=concern, kind="transition", actor_role="staff",
                                                            to_status="submitted")
    get("petitions", "ConcernPhoto").objects.create(concern=concern, event=event, image="concerns/x.jpg")
    concern_type = get("contenttypes", "ContentType").objects.get_or_create(app_label="petitions",
                                                                            model="concern")[0]
    get("liaison", "Notification").objects.create(channel="sms", recipient="13900000003", body="已收到", key="k1",
                                                  subject_type=concern_type, subject_id=concern.pk)


@pytest.mark.django_db(transaction=True)
def test_the_old_station_becomes_the_default_township_with_nothing_lost(settings):
    settings.ESCALATION_MOBILES = ["13905760000"]
    settings.STATION_NAME = ""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    _fill_the_old_station(old)
    ContentType.objects.clear_cache()
    counts_before = {(app, name): old.get_model(app, name).objects.count() for app, names in MODELS.items()
                     for name in names}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.apps import apps
    from django.contrib.auth import get_user_model

    from liaison.models import Membership, Township

    with county_wide():
        township = Township.objects.get(is_default=True)
        assert (township.name, township.code, township.county.name) == ("白塔镇", "baita", "仙居县")
        assert township.station_name == "白塔镇人大代表联络站"
        assert township.escalation_mobile_list() == ["13905760000"]
        for (app, name), count in counts_before.items():
            model = apps.get_model(app, name)
            assert count == 1, (app, name)
            assert model.objects.filter(township=township).count() == count, (app, name)
        concern = apps.get_model("petitions", "Concern").objects.get()
        assert (concern.tracking, concern.content, concern.unit.name, concern.deputy.code) == (
            "abc2345678", "路灯不亮", "白塔村驻村干部组", "d1")
    users = get_user_model().objects
    assert Membership.objects.get(user=users.get(username="old-staff")).township == township
    assert not Membership.objects.filter(user=users.get(username="old-admin")).exists()  # county-wide

"""Moving the calendar and the outbox into liaison/ keeps every row (a database with data in it, not an empty one)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("deputies", "0001_initial"), ("petitions", "0001_initial"), ("liaison", "0001_roles")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_calendar_and_outbox_move_to_liaison_with_their_rows():
    from django.contrib.contenttypes.models import ContentType

    outbox_type = ContentType.objects.get(app_label="liaison", model="notification").pk
    old = _migrate(BEFORE)
    # Going back hands the content type (and the permissions on it) back to petitions.
    assert old.get_model("contenttypes", "ContentType").objects.get(pk=outbox_type).app_label == "petitions"
    old.get_model("petitions", "CalendarDay").objects.all().delete()  # as before the holiday migration
    Category = old.get_model("petitions", "Category")
    Concern = old.get_model("petitions", "Concern")
    # A day staff kept before the move, one the holiday migration also knows with another name.
    old.get_model("petitions", "CalendarDay").objects.create(date=datetime.date(2026, 10, 1), is_workday=False,
                                                             name="国庆节（本镇）")
    concern = Concern.objects.create(tracking="abcdefgh23", channel="qr", content="路灯坏了",
                                     category=Category.objects.create(name="道路交通"))
    Notification = old.get_model("petitions", "Notification")
    Notification.objects.create(key="submitted:1", channel="sms", recipient="13800000000", body="已收到",
                                concern=concern)
    Notification.objects.create(key="loose:1", channel="email", recipient="a@b.cn", body="无关联")

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from liaison.models import CalendarDay
    from liaison.models import Notification as MovedNotification
    from petitions.models import Concern as ConcernNow

    assert CalendarDay.objects.get(date=datetime.date(2026, 10, 1)).name == "国庆节（本镇）"
    assert CalendarDay.objects.filter(date__year=2027, is_workday=False).count() >= 20
    case = ConcernNow.objects.get(tracking="abcdefgh23")
    assert list(case.notifications.values_list("key", flat=True)) == ["submitted:1"]
    assert MovedNotification.objects.get(key="loose:1").about is None
    assert connection.introspection.table_names().count("liaison_notification") == 1
    assert "petitions_notification" not in connection.introspection.table_names()
    # Permissions granted on the outbox before the move still name it.
    assert ContentType.objects.get(pk=outbox_type).app_label == "liaison"

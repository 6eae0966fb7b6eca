"""Nothing twice (petitions.dedupe): the same concern, patrol report or visit sent again files once and
messages once. The views' side ("already received/recorded") is in the tests of each form."""

import datetime
import threading

import pytest
from django.db import connection

from liaison.models import Notification
from liaison.scoping import in_township
from petitions import dedupe
from petitions.models import Concern, ConcernPhoto, Reception
from petitions.receptions import reception_record
from petitions.services import concern_submit
from tests.factories import DeputyFactory, SiteFactory, UserFactory

TEXT = "村口窨井盖下沉破损，晚上很危险。"
START = datetime.datetime(2026, 3, 9, 9, 0, tzinfo=datetime.timezone.utc)


def _file(category, *, deputy=None, site=None, mobile="13812345678", content=TEXT, key=None, **extra):
    return concern_submit(channel=Concern.Channel.QR, category=category, deputy=deputy, site=site, mobile=mobile,
                          name="陈西荣", content=content, submission_key=key, **extra)


@pytest.mark.django_db
def test_the_same_token_again_returns_the_first_concern_and_messages_nobody(deputy, category):
    first, created = _file(category, deputy=deputy, key="token-1")
    sent = Notification.objects.count()

    again, created_again = _file(category, deputy=deputy, key="token-1")

    assert (again, created, created_again) == (first, True, False)
    assert Concern.objects.count() == 1
    assert sent == 2 and Notification.objects.count() == sent  # the constituent and the deputy, once


@pytest.mark.django_db
def test_the_same_text_from_the_same_mobile_with_a_new_token_is_the_concern_already_filed(deputy, category):
    first, _created = _file(category, deputy=deputy, key="token-1")
    sent = Notification.objects.count()

    # Back gives a fresh form (a new token); the text comes again with other spaces and line breaks.
    again, created = _file(category, deputy=deputy, key="token-2", content=" 村口窨井盖下沉破损，\n晚上很危险。  ")

    assert (again, created) == (first, False)
    assert Concern.objects.count() == 1 and Notification.objects.count() == sent


@pytest.mark.django_db
def test_full_width_letters_and_digits_count_as_the_same_text(deputy, category):
    first, _created = _file(category, deputy=deputy, content="3号路灯不亮")

    again, created = _file(category, deputy=deputy, content="３号路灯不亮")

    assert (again, created) == (first, False)


@pytest.mark.django_db
def test_within_the_window_it_is_a_repeat_and_after_it_a_new_concern(deputy, category, time_machine, settings):
    settings.DUPLICATE_WINDOW_MINUTES = 30
    time_machine.move_to(START)
    first, _created = _file(category, deputy=deputy)
    time_machine.move_to(START + datetime.timedelta(minutes=29))
    assert _file(category, deputy=deputy) == (first, False)

    time_machine.move_to(START + datetime.timedelta(minutes=31))
    second, created = _file(category, deputy=deputy)

    assert created and second != first
    assert Concern.objects.count() == 2 and Notification.objects.count() == 4
    first.refresh_from_db()
    assert first.dedupe_key is None and second.dedupe_key is not None  # the newer one answers repeats now
    time_machine.move_to(START + datetime.timedelta(minutes=40))
    assert _file(category, deputy=deputy) == (second, False)


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["another deputy", "a site instead", "another mobile", "another text",
                                    "another place"])
def test_the_same_text_to_someone_else_or_from_someone_else_files_a_new_concern(deputy, category, change):
    _file(category, deputy=deputy, place="村口")
    second = {
        "another deputy": lambda: _file(category, deputy=DeputyFactory(), place="村口"),
        "a site instead": lambda: _file(category, site=SiteFactory(), place="村口"),
        "another mobile": lambda: _file(category, deputy=deputy, mobile="13987654321", place="村口"),
        "another text": lambda: _file(category, deputy=deputy, content=TEXT + "请尽快修。", place="村口"),
        "another place": lambda: _file(category, deputy=deputy, place="村委会门口"),
    }[change]

    _concern, created = second()

    assert created and Concern.objects.count() == 2


@pytest.mark.django_db
def test_a_window_of_zero_minutes_leaves_only_the_token_check(deputy, category, settings):
    settings.DUPLICATE_WINDOW_MINUTES = 0
    first, _created = _file(category, deputy=deputy, key="token-1")

    assert _file(category, deputy=deputy, key="token-1") == (first, False)
    assert _file(category, deputy=deputy, key="token-2")[1]
    assert Concern.objects.count() == 2


@pytest.mark.django_db
def test_the_loser_of_a_race_on_the_same_text_gets_the_winners_concern(deputy, category, monkeypatch):
    winner, _created = _file(category, deputy=deputy, key="token-1")
    sent = Notification.objects.count()
    real_filter, calls = Concern.objects.filter, []

    def filter_missing_the_first_time(*args, **kwargs):
        # The other post commits between this one's check and its insert.
        calls.append(kwargs)
        return Concern.objects.none() if len(calls) == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(Concern.objects, "filter", filter_missing_the_first_time)

    loser, created = _file(category, deputy=deputy, key="token-2")

    assert len(calls) == 2  # the check, and the look-up after the unique key refused the insert
    assert (loser, created) == (winner, False)
    assert Concern.objects.count() == 1 and Notification.objects.count() == sent


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once: PostgreSQL's tier")
@pytest.mark.django_db(transaction=True)
def test_two_posts_at_the_same_moment_file_one_concern(deputy, category, monkeypatch):
    """Both posts pass the check before either inserts (the barrier); the unique key lets one through."""
    barrier, real_check, checked = threading.Barrier(2, timeout=10), dedupe.earlier_submission, threading.local()
    results, errors = [], []

    def check_then_wait(*args, **kwargs):
        found = real_check(*args, **kwargs)
        if not getattr(checked, "once", False):  # the check before the insert, not the look-up after a refusal
            checked.once = True
            barrier.wait()
        return found

    monkeypatch.setattr(dedupe, "earlier_submission", check_then_wait)

    def post(key):
        try:
            with in_township(category.township):  # a thread starts with no scope, as a request's would
                results.append(_file(category, deputy=deputy, key=key))
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(f"token-{n}",), name=f"post-{n}") for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(created for _concern, created in results) == [False, True]
    assert results[0][0] == results[1][0]
    assert Concern.objects.count() == 1 and Notification.objects.count() == 2


@pytest.mark.django_db
def test_a_patrol_report_sent_again_by_the_same_deputy_is_filed_once(deputy_user, category):
    deputy = deputy_user.deputy
    report = {"channel": Concern.Channel.PATROL, "category": category, "content": "溪边林地有人倾倒农药瓶。",
              "place": "白塔溪下游", "deputy": deputy, "submitted_by": deputy_user, "is_public": True}
    first, _created = concern_submit(**report, submission_key="patrol-1")

    again, created = concern_submit(**report, submission_key="patrol-2")

    assert (again, created) == (first, False)
    assert Concern.objects.count() == 1 and first.events.count() == 1
    assert not ConcernPhoto.objects.exists() and not Notification.objects.exists()


@pytest.mark.django_db
def test_the_same_words_from_another_deputys_patrol_are_another_report(deputy_user, category):
    other = DeputyFactory(user=UserFactory()).user
    report = {"channel": Concern.Channel.PATROL, "category": category, "content": "溪边林地有人倾倒农药瓶。"}
    concern_submit(**report, deputy=deputy_user.deputy, submitted_by=deputy_user)

    _concern, created = concern_submit(**report, deputy=other.deputy, submitted_by=other)

    assert created and Concern.objects.count() == 2


def _visit(staff, station, *, matters="反映村口路灯不亮；咨询医保缴费。", on=datetime.date(2026, 3, 7), key=None,
           rows=("村口三盏路灯不亮。",), category=None, site=None):
    return reception_record(
        received_on=on, site=site or station, deputies=[], mobile="13812345678", name="陈西荣", village=None,
        visitor_count=1, matters=matters, answer="", satisfaction="", recorded_by=staff,
        new_concerns=[{"content": row, "category": category} for row in rows], submission_key=key,
    )


@pytest.fixture
def station(db):
    return SiteFactory(name="白塔镇人大代表联络站")


@pytest.mark.django_db
def test_the_same_visit_recorded_again_is_the_reception_already_recorded(staff, station, category):
    first, _created = _visit(staff, station, category=category, key="desk-1")
    sent = Notification.objects.count()

    again, created = _visit(staff, station, category=category, key="desk-2",
                            matters="反映村口路灯不亮；\n咨询医保缴费。 ")

    assert (again, created) == (first, False)
    assert Reception.objects.count() == 1 and Concern.objects.count() == 1
    assert sent and Notification.objects.count() == sent


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["another day", "another site", "other matters"])
def test_another_day_site_or_matters_is_another_reception(staff, station, category, change):
    _visit(staff, station, category=category)
    changes = {"another day": {"on": datetime.date(2026, 3, 21)}, "another site": {"site": SiteFactory()},
               "other matters": {"matters": "咨询医保缴费。"}}[change]

    _reception, created = _visit(staff, station, category=category, **changes)

    assert created and Reception.objects.count() == 2 and Concern.objects.count() == 2


@pytest.mark.django_db
def test_the_same_concern_row_in_two_different_receptions_makes_two_concerns(staff, station, category):
    _visit(staff, station, category=category, matters="上午来访：路灯。")

    _visit(staff, station, category=category, matters="下午又来：路灯仍不亮。")

    assert Reception.objects.count() == 2 and Concern.objects.count() == 2

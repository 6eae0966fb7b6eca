"""Abuse of the public concern form (docs/privacy.md): limits per mobile and per address, the hidden field
and the fill time hold a filing for review; the person still gets the receipt and the code, nobody gets
an SMS; staff release it (its messages then go out, once) or discard it; held and discarded filings are
no cases for any figure or list."""

import datetime
import itertools

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from liaison import counters
from liaison.models import Notification
from petitions import selectors, throttle, workflow
from petitions.models import Concern, ConcernEvent
from petitions.periodic import escalate_overdue_concerns
from petitions.services import concern_transition
from tests.factories import form_opened_long_ago

S = Concern.Status
_tokens = itertools.count(1)


def _filing(category, **overrides) -> dict:
    n = next(_tokens)
    return {"name": "陈西荣", "mobile": "13812345678", "category": category.pk, "content": f"第{n}件：路灯坏了。",
            "token": f"6f1c2a4e-8a0b-4f7e-9a51-{n:012d}", "started": form_opened_long_ago(), **overrides}


def _file(client, deputy, data: dict, ip: str = "198.51.100.1"):
    return client.post(reverse("petitions:file_to_deputy", args=[deputy.code]), data, REMOTE_ADDR=ip, follow=True)


def _held_receipt(response) -> Concern:
    """The receipt of a held filing: its code shown, told it is checked first; the concern held, nobody told."""
    body = response.content.decode()
    assert response.resolver_match.view_name == "petitions:receipt"
    concern = Concern.objects.get(tracking=response.context["concern"].tracking)
    assert concern.status == S.HELD
    assert f'id="tracking-code">{concern.tracking}<' in body and 'id="held-for-review"' in body
    assert not concern.notifications.exists()
    return concern


# --- held for review ---------------------------------------------------------------------------------

# (what varies between filings, the setting made small for the test, its value, minutes between filings)
LIMITS = {
    "mobile burst": ("address", "FILING_PER_MOBILE_BURST", 3, 0),
    "mobile day": ("address", "FILING_PER_MOBILE_DAY", 4, 11),
    "address burst": ("mobile", "FILING_PER_ADDRESS_BURST", 3, 0),
    "address day": ("mobile", "FILING_PER_ADDRESS_DAY", 4, 11),
}


@pytest.mark.django_db
@pytest.mark.parametrize("limit", LIMITS)
def test_one_filing_over_a_limit_is_held_and_the_ones_within_went_out(client, deputy, category, settings,
                                                                      time_machine, limit):
    varies, setting, value, gap = LIMITS[limit]
    setattr(settings, setting, value)
    time_machine.move_to("2026-03-07 08:00:00+08:00", tick=False)
    within = []
    for n in range(value + 1):
        data = _filing(category, mobile=f"1380000{n:04d}") if varies == "mobile" else _filing(category)
        response = _file(client, deputy, data, ip=f"198.51.100.{n + 1}" if varies == "address" else "198.51.100.1")
        within.append(response)
        time_machine.shift(datetime.timedelta(minutes=gap))
    over = within.pop()

    concern = _held_receipt(over)
    assert all(Concern.objects.get(tracking=r.context["concern"].tracking).status == S.SUBMITTED for r in within)
    note = concern.events.get(kind=ConcernEvent.Kind.COMMENT).note
    assert note.startswith("待审核") and str(value) in note


@pytest.mark.django_db
def test_a_filing_the_database_could_not_save_is_not_counted_against_the_limits(client, deputy, category, monkeypatch,
                                                                                 settings):
    """Sent again after the station's "busy" page (a database restarting), as the page asks: only the filing that
    was saved counts, so the filer is not held for the station's own fault (the production tier's PostgreSQL
    restart found them held)."""
    from django.db import OperationalError

    from petitions.models import Filing

    settings.FILING_PER_MOBILE_BURST = 1
    data = _filing(category)
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.1")
    limits = throttle.filing_limits(request, data["mobile"])
    save = Filing.save

    def restarting(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(Filing, "save", restarting)
    with pytest.raises(OperationalError):
        client.post(reverse("petitions:file_to_deputy", args=[deputy.code]), data, REMOTE_ADDR="198.51.100.1")
    assert set(counters.peek([limit.key for limit in limits]).values()) == {0}

    monkeypatch.setattr(Filing, "save", save)
    response = _file(client, deputy, data)
    assert Concern.objects.get(tracking=response.context["concern"].tracking).status == S.SUBMITTED


@pytest.mark.django_db
def test_a_filing_the_request_could_not_register_is_not_counted(client, deputy, category, monkeypatch, settings):
    """Registered in the request (the embedded default), the filing row is saved before the database fails.
    Nothing registers it later (no beat runs the sweep there), so the filer sends it again, counted then."""
    from django.db import OperationalError

    from petitions import services
    from petitions.models import Filing

    settings.CELERY_TASK_ALWAYS_EAGER = True
    data = _filing(category)
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.1")
    limits = throttle.filing_limits(request, data["mobile"])

    def restarting(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(services, "concern_submit", restarting)
    with pytest.raises(OperationalError):
        client.post(reverse("petitions:file_to_deputy", args=[deputy.code]), data, REMOTE_ADDR="198.51.100.1")
    assert Filing.objects.get().state == Filing.State.PENDING
    assert set(counters.peek([limit.key for limit in limits]).values()) == {0}


@pytest.mark.django_db
def test_a_busy_duty_day_on_the_stations_wifi_is_never_held(rf):
    """Thirty villagers on one address within ten minutes, two hundred in the day: all filed as usual."""
    request = rf.post("/", REMOTE_ADDR="10.20.30.40")
    held = [throttle.count_filing(throttle.filing_limits(request, f"1390000{n:04d}")) for n in range(30)]

    assert held == [""] * 30
    assert throttle.count_filing(throttle.filing_limits(request, "13900009999"))  # the 31st within ten minutes


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "reason"), [
    (lambda: {"website": "http://spam.example"}, "看不到的栏目"),
    (lambda: {"started": form_opened_long_ago(2)}, "打开表单后2秒"),
    (lambda: {"started": ""}, "打开时间缺失或被改动"),
    (lambda: {"started": "1700000000.0:forged"}, "打开时间缺失或被改动"),
], ids=["hidden field", "too fast", "no opening time", "forged opening time"])
def test_a_filing_that_looks_sent_by_a_program_is_held(client, deputy, category, overrides, reason):
    concern = _held_receipt(_file(client, deputy, _filing(category, **overrides())))

    assert reason in concern.events.get(kind=ConcernEvent.Kind.COMMENT).note
    public = Client().get(concern.get_absolute_url()).content.decode()
    assert "待审核" in public and "联络站先核实" in public
    assert "看不到的栏目" not in public and "打开" not in public  # why it is held is for the staff only


@pytest.mark.django_db
def test_the_hidden_field_is_hidden_by_a_class_and_skipped_by_screen_readers_and_the_keyboard(client, deputy):
    body = client.get(reverse("petitions:file_to_deputy", args=[deputy.code])).content.decode()

    wrapper = body[body.index('class="form-extra"') - 5:body.index('name="website"') + 200]
    assert 'aria-hidden="true"' in wrapper and 'tabindex="-1"' in wrapper and 'autocomplete="off"' in wrapper
    assert "style=" not in wrapper
    assert 'name="started"' in body


@pytest.mark.django_db
def test_a_form_corrected_after_an_error_keeps_its_opening_time(client, deputy, category):
    data = _filing(category, mobile="1381234", started=form_opened_long_ago(60))

    refused = _file(client, deputy, data)
    assert refused.status_code == 200 and "mobile" in refused.context["form"].errors
    started = refused.context["form"]["started"].value()
    response = _file(client, deputy, {**data, "mobile": "13812345678", "started": started})

    assert Concern.objects.get(tracking=response.context["concern"].tracking).status == S.SUBMITTED


@pytest.mark.django_db
def test_a_repeat_of_a_filing_is_not_counted_twice(client, deputy, category, settings):
    settings.FILING_PER_MOBILE_BURST = 1
    data = _filing(category)
    _file(client, deputy, data)

    _file(client, deputy, data)  # a double tap: the same concern
    other = _file(client, deputy, _filing(category))

    assert Concern.objects.count() == 2
    assert Concern.objects.get(tracking=other.context["concern"].tracking).status == S.HELD


# --- release and discard -----------------------------------------------------------------------------

@pytest.fixture
def held(client, deputy, category) -> Concern:
    return _held_receipt(_file(client, deputy, _filing(category, website="x")))


@pytest.mark.django_db
def test_release_files_it_and_sends_the_filings_messages_once(client, held, staff, deputy,
                                                              django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk:act", args=[held.tracking, "release"]), follow=True)

    held.refresh_from_db()
    assert response.status_code == 200 and held.status == S.SUBMITTED
    sent = {(n.recipient, n.status) for n in held.notifications.all()}
    assert sent == {("13812345678", Notification.Status.SENT), (deputy.mobile, Notification.Status.SENT)}
    again = client.post(reverse("desk:act", args=[held.tracking, "release"]), follow=True)
    assert [m.level_tag for m in again.context["messages"]] == ["error"]
    from petitions import messages

    messages.on_released(held, "release:again")  # however it comes to be said again
    assert held.notifications.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role_fixture", ["deputy_user", "handler"])
def test_only_staff_and_officials_release_or_discard(client, held, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))

    for action in ("release", "discard"):
        client.post(reverse("desk:act", args=[held.tracking, action]))

    held.refresh_from_db()
    assert held.status == S.HELD


@pytest.mark.django_db
def test_discard_ends_it_without_a_message_and_out_of_every_figure(client, held, official):
    client.force_login(official)

    client.post(reverse("desk:act", args=[held.tracking, "discard"]), {"discard-note": "广告"})

    held.refresh_from_db()
    assert held.status == S.DISCARDED and held.closed_at is not None and held.outcome == ""
    assert not held.notifications.exists()
    assert selectors.concern_counts()["total"] == 0
    assert "没有受理" in Client().get(held.get_absolute_url()).content.decode()


# --- held and discarded filings are no cases ---------------------------------------------------------

@pytest.mark.django_db
def test_held_and_discarded_filings_are_in_no_figure_queue_or_public_list(client, deputy, category, official,
                                                                          deputy_user, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+08:00", tick=False)
    real = _file(client, deputy, _filing(category, is_public="on")).context["concern"]
    held = _file(client, deputy, _filing(category, is_public="on", website="x")).context["concern"]
    discarded = _file(client, deputy, _filing(category, is_public="on", website="x")).context["concern"]
    concern_transition(concern=discarded, action="discard", actor=official, role=workflow.OFFICIAL)

    assert selectors.concern_counts()["total"] == 1 and selectors.concern_counts()["open"] == 1
    assert [row["total"] for row in selectors.concern_counts_by_township()] == [1]
    desk, tabs = selectors.concern_desk_list(user=official)
    assert [c.tracking for c in desk] == [real.tracking] and tabs["all"] == tabs["current"] == 1
    assert (tabs[S.HELD], tabs[S.DISCARDED]) == (1, 1)
    assert [c.tracking for c in selectors.concern_list(user=official, filters={"status": S.HELD})] == [held.tracking]
    assert [c.tracking for c in selectors.concern_list_public(limit=10)] == [real.tracking]
    assert selectors.concern_list_public(trackings=[held.tracking, discarded.tracking], limit=10) == []
    assert list(selectors.concern_list_held(user=official)) == [Concern.objects.get(tracking=held.tracking)]
    time_machine.move_to("2026-03-20 09:00:00+08:00", tick=False)  # long past accepting within two working days
    assert escalate_overdue_concerns() == 1  # the real one only


@pytest.mark.django_db
def test_the_desk_shows_the_held_list_with_its_count_and_the_case_page_offers_release_and_discard(
    client, held, staff, deputy_user
):
    client.force_login(staff)

    page = client.get(reverse("desk:held")).content.decode()
    case = client.get(reverse("desk:concern", args=[held.tracking])).content.decode()

    assert f'data-tracking="{held.tracking}"' in page and "1 件等待审核" in page
    assert 'data-action="release"' in case and 'data-action="discard"' in case
    assert "看不到的栏目" in case  # why it was held, on its timeline
    assert held.tracking not in client.get(reverse("desk:concerns")).content.decode()
    client.force_login(deputy_user)
    assert client.get(reverse("desk:held")).status_code == 403
    assert held.tracking not in client.get(reverse("desk:inbox")).content.decode()


# --- the counters out of reach -----------------------------------------------------------------------

@pytest.fixture
def counters_down(monkeypatch):
    def unavailable(*args, **kwargs):
        raise counters.Unavailable("frozen")

    for name in ("hit", "peek"):
        monkeypatch.setattr(counters, name, unavailable)


@pytest.mark.django_db
def test_without_its_counters_the_form_files_as_usual_and_the_digit_check_refuses(client, deputy, category,
                                                                                  counters_down, concern):
    response = _file(client, deputy, _filing(category))
    assert Concern.objects.get(tracking=response.context["concern"].tracking).status == S.SUBMITTED  # fails open

    stranger = Client()
    verify = stranger.post(reverse("petitions:verify", args=[concern.tracking]), {"last4": "5678"}, follow=True)
    assert [m.level_tag for m in verify.context["messages"]] == ["error"]  # fails closed
    assert "家门口葡萄园" not in verify.content.decode()


def test_the_limits_keys_carry_no_mobile_or_address():
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")

    keys = " ".join(limit.key for limit in throttle.filing_limits(request, "13812345678"))

    assert "13812345678" not in keys and "203.0.113.7" not in keys


@pytest.mark.django_db
def test_the_held_list_takes_as_many_queries_for_one_filing_as_for_many(client, deputy, category, staff,
                                                                       django_assert_num_queries,
                                                                       django_assert_max_num_queries):
    _file(client, deputy, _filing(category, website="x"))
    desk = Client()
    desk.force_login(staff)
    desk.get(reverse("desk:held"))  # the session and the user's roles, as every later page has them
    with django_assert_max_num_queries(12) as one:
        desk.get(reverse("desk:held"))
    queries = len(one.captured_queries)  # read now: every request empties the connection's log
    for _ in range(3):
        _file(client, deputy, _filing(category, website="x"))

    with django_assert_num_queries(queries):
        body = desk.get(reverse("desk:held")).content.decode()

    assert body.count('class="card concern-card') == 4


@pytest.mark.django_db
def test_a_held_filing_reaches_its_deputy_only_once_released(client, deputy_user, category, staff):
    concern = _held_receipt(_file(client, deputy_user.deputy, _filing(category, website="x")))
    page = reverse("desk:concern", args=[concern.tracking])
    deputy = Client()
    deputy.force_login(deputy_user)

    assert deputy.get(page).status_code == 404
    assert concern.tracking not in deputy.get(reverse("desk:inbox")).content.decode()
    client.force_login(staff)
    client.post(reverse("desk:act", args=[concern.tracking, "release"]))
    assert deputy.get(page).status_code == 200


@pytest.mark.django_db
def test_the_same_held_words_from_another_browser_are_not_said_to_have_gone_out_by_sms(client, deputy, category):
    data = _filing(category, website="x")
    _held_receipt(_file(client, deputy, data))

    again = _file(Client(), deputy, {**data, "token": "6f1c2a4e-8a0b-4f7e-9a51-999999999999"})

    said = [str(m) for m in again.context["messages"]]
    assert said == ["我们已收到过这条诉求，未重复登记。联络站先核实，核实后查询码将以短信发送至 138****5678。"]
    assert Concern.objects.count() == 1

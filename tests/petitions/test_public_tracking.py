"""Public progress at /t/<tracking>/, the lookup, the mobile check and the rating (petitions.views.public).

The concern fixture was filed by 陈西荣, 13812345678: neither string may ever appear on the page.
"""

import io

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from PIL import Image

from liaison import counters
from petitions import throttle, workflow
from petitions.models import Concern, ConcernEvent
from petitions.services import (
    concern_assign,
    concern_comment,
    concern_merge,
    concern_resolve,
    concern_transition,
)
from petitions.views import public
from tests.factories import ConcernFactory, form_opened_long_ago

S = Concern.Status
NAME, MOBILE = "陈西荣", "13812345678"


def _photo() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def _track(client, concern) -> str:
    response = client.get(reverse("petitions:track", args=[concern.tracking]))
    assert response.status_code == 200
    return response.content.decode()


def _verify(client, concern, digits="5678", ip="127.0.0.1"):
    return client.post(reverse("petitions:verify", args=[concern.tracking]), {"last4": digits}, follow=True,
                       REMOTE_ADDR=ip)


def _resolve(concern, *, deputy_user, handler, unit) -> Concern:
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    return concern_resolve(concern=concern, result="垃圾已清理，已安排保洁员定期巡查。", outcome=Concern.Outcome.FIXED,
                           actor=handler, role=workflow.HANDLER, photos=[_photo()])


def _burst_key(concern, ip="127.0.0.1") -> str:
    """The key of the concern's fifteen-minute counter for this client's tries."""
    return throttle.verify_limits(RequestFactory().get("/", REMOTE_ADDR=ip), concern)[1].key


def _message_tags(response) -> list[str]:
    return [m.level_tag for m in response.context["messages"]]


def test_tracking_url_sent_by_sms_is_pinned():
    assert reverse("petitions:track", kwargs={"tracking": "ab23cd45ef"}) == "/t/ab23cd45ef/"
    assert resolve("/t/ab23cd45ef/").view_name == "petitions:track"


@pytest.mark.django_db
def test_track_page_shows_status_category_deputy_and_unit(client, concern, deputy_user, unit):
    concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)

    body = _track(client, concern)

    assert 'data-status="assigned"' in body
    assert "环境卫生" in body and deputy_user.deputy.name in body and "白塔村驻村干部组" in body


@pytest.mark.django_db
def test_track_page_never_shows_the_constituents_name_or_mobile(client, concern, deputy_user, handler, unit, official):
    assert NAME not in _track(client, concern)

    # Someone wrote the constituent's name and number into a public note and into the result.
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY,
                             note=f"请联系{NAME}，电话{MOBILE}")
    concern_comment(concern=concern, actor=handler, role=workflow.HANDLER, is_public=True,
                    note=f"已与{NAME}（{MOBILE}）约好上门")
    body = _track(client, concern)
    assert NAME not in body and MOBILE not in body
    assert "138****5678" in body  # masked where it was written

    concern = concern_resolve(concern=concern, result=f"已为{NAME}清理", outcome=Concern.Outcome.FIXED,
                              actor=handler, role=workflow.HANDLER)
    _verify(client, concern)
    body = _track(client, concern)  # even the verified owner sees them masked only
    assert NAME not in body and MOBILE not in body
    assert "陈**" in body


@pytest.mark.django_db
def test_track_page_of_a_merged_concern_links_to_the_original_and_hides_the_person(client, concern, official):
    original = ConcernFactory(category=concern.category)
    concern_merge(concern=concern, into=original, actor=official, role=workflow.OFFICIAL)

    body = _track(client, concern)

    assert f'href="{original.get_absolute_url()}"' in body
    assert NAME not in body and MOBILE not in body


@pytest.mark.django_db
def test_only_public_events_appear_and_roles_not_usernames(client, concern, handler, deputy_user, unit):
    handler.username = "wang_ganbu_7x"
    handler.save()
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    concern_comment(concern=concern, actor=handler, role=workflow.HANDLER, is_public=False, note="内部备注：先别告诉群众")
    concern_comment(concern=concern, actor=handler, role=workflow.HANDLER, is_public=True, note="已安排人员现场查看")

    body = _track(client, concern)

    assert "已安排人员现场查看" in body
    assert "内部备注" not in body
    assert "wang_ganbu_7x" not in body and deputy_user.username not in body
    assert body.count('class="list-group-item timeline-entry"') == concern.events.filter(is_public=True).count() == 3


@pytest.mark.django_db
def test_content_is_shown_only_when_the_constituent_consented(client, deputy_user, category):
    private = ConcernFactory(deputy=deputy_user.deputy, category=category, content="私下反映的内容", is_public=False)
    public = ConcernFactory(deputy=deputy_user.deputy, category=category, content="可以公开的内容", is_public=True)

    assert "私下反映的内容" not in _track(client, private)
    assert "可以公开的内容" in _track(client, public)


@pytest.mark.django_db
def test_public_photos_appear_and_internal_ones_do_not(client, concern, handler, deputy_user, unit):
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    for is_public in (True, False):
        concern_comment(concern=concern, actor=handler, role=workflow.HANDLER, is_public=is_public, note="进展",
                        photos=[_photo()])
    public_photo, internal_photo = concern.photos.order_by("pk")

    body = _track(client, concern)

    assert public_photo.get_absolute_url() in body
    assert internal_photo.get_absolute_url() not in body


@pytest.mark.django_db
def test_resolved_concern_shows_result_and_outcome(client, concern, deputy_user, handler, unit):
    concern = _resolve(concern, deputy_user=deputy_user, handler=handler, unit=unit)

    body = _track(client, concern)

    assert "垃圾已清理" in body and 'id="concern-outcome"' in body
    assert concern.photos.get(kind="after").get_absolute_url() in body


@pytest.mark.django_db
def test_unknown_tracking_code_is_404(client, db):
    assert client.get(reverse("petitions:track", args=["nosuchcode"])).status_code == 404


@pytest.mark.django_db
def test_a_tracking_code_typed_in_capitals_redirects_to_the_real_page(client, concern):
    response = client.get(f"/t/{concern.tracking.upper()}/")

    assert response.status_code == 301 and response["Location"] == concern.get_absolute_url()


@pytest.mark.django_db
def test_lookup_ignores_case_and_spaces(client, concern):
    typed = " ".join(concern.tracking.upper())

    response = client.get(reverse("petitions:lookup"), {"code": typed})

    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()


@pytest.mark.django_db
def test_lookup_of_an_unknown_code_says_not_found(client, concern):
    response = client.get(reverse("petitions:lookup"), {"code": "wrongcode2"})

    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert "wrongcode2" in response.content.decode()


@pytest.mark.django_db
def test_verify_with_the_right_digits_shows_the_full_submission_masked(client, concern):
    assert "家门口葡萄园" not in _track(client, concern)  # not consented public

    response = _verify(client, concern, digits="56 78")

    body = response.content.decode()
    assert _message_tags(response) == ["success"]
    assert "家门口葡萄园" in body and "陈**" in body and "138****5678" in body
    assert 'id="verify-form"' not in body


@pytest.mark.django_db
def test_verify_with_wrong_digits_is_refused(client, concern):
    response = _verify(client, concern, digits="1234")

    body = response.content.decode()
    assert _message_tags(response) == ["error"]
    assert "家门口葡萄园" not in body and "138****5678" not in body
    assert 'id="verify-form"' in body


@pytest.mark.django_db
def test_five_wrong_tries_lock_out_even_the_right_digits(client, concern):
    for _ in range(5):
        _verify(client, concern, digits="0000")

    response = _verify(client, concern, digits="5678")

    body = response.content.decode()
    assert _message_tags(response) == ["error"]
    assert "家门口葡萄园" not in body
    assert 'id="verify-locked"' in body and 'id="verify-form"' not in body


@pytest.mark.django_db
def test_lockout_is_per_tracking_code(client, concern, deputy_user, category):
    other = ConcernFactory(deputy=deputy_user.deputy, category=category, mobile="13700001234")
    for _ in range(5):
        _verify(client, concern, digits="0000")

    response = _verify(client, other, digits="1234")

    assert _message_tags(response) == ["success"]


@pytest.mark.django_db
def test_lockout_ends_after_fifteen_minutes(client, concern, time_machine):
    time_machine.move_to("2026-03-07 09:00:00+08:00", tick=False)
    for _ in range(5):
        _verify(client, concern, digits="0000")

    time_machine.shift(15 * 60 + 1)

    assert _message_tags(_verify(client, concern)) == ["success"]


@pytest.mark.django_db
def test_a_try_is_counted_before_the_digits_are_compared(client, concern, monkeypatch):
    # Parallel requests must not all pass a check made before anyone has counted.
    seen = []
    compare = public._mobile_ends_with

    def spy(concern, digits):
        burst = _burst_key(concern)
        seen.append(counters.peek([burst])[burst])
        return compare(concern, digits)

    monkeypatch.setattr(public, "_mobile_ends_with", spy)
    _verify(client, concern, digits="0000")
    _verify(client, concern, digits="0000")

    assert seen == [1, 2]


@pytest.mark.django_db
def test_tries_already_under_way_count_against_the_limit(client, concern, monkeypatch):
    # Five requests have counted themselves and are still comparing: the sixth is refused unread.
    monkeypatch.setattr(public, "_mobile_ends_with", lambda *args: pytest.fail("compared despite the limit"))
    for _ in range(5):
        counters.hit(_burst_key(concern), 60)

    assert _message_tags(_verify(client, concern)) == ["error"]


@pytest.mark.django_db
def test_the_sixth_try_within_fifteen_minutes_is_refused_even_with_the_right_digits(client, concern, time_machine):
    time_machine.move_to("2026-03-07 09:00:00+08:00", tick=False)
    for _ in range(5):
        _verify(client, concern, digits="0000")
        time_machine.shift(2 * 60)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _verify(client, concern)

    assert _message_tags(response) == ["error"]
    assert [str(m) for m in response.context["messages"]] == [
        "Too many wrong tries for this tracking code. For your safety, try again in 15 minutes."
    ]
    assert 'id="verify-locked"' in response.content.decode()


@pytest.mark.django_db
def test_four_wrong_tries_then_the_right_digits_still_verify(client, concern):
    for _ in range(4):
        _verify(client, concern, digits="0000")

    assert _message_tags(_verify(client, concern)) == ["success"]


@pytest.mark.django_db
def test_eleven_wrong_tries_in_a_day_lock_the_code_until_tomorrow(client, concern, time_machine):
    time_machine.move_to("2026-03-07 08:00:00+08:00", tick=False)
    # The counters must forget with the moved clock, or this test proves nothing about windows.
    counters.hit("probe", 60)
    time_machine.shift(61)
    assert counters.peek(["probe"]) == {"probe": 0}

    for n in range(11):  # 08:01 to 23:01, never two within fifteen minutes
        if n:
            time_machine.shift(90 * 60)
        _verify(client, concern, digits="0000")
    time_machine.move_to("2026-03-07 23:59:00+08:00", tick=False)  # long after any fifteen-minute window

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _verify(client, concern)

    assert _message_tags(response) == ["error"]
    assert [str(m) for m in response.context["messages"]] == [
        "Too many wrong tries for this tracking code today. For your safety, try again tomorrow."
    ]
    body = response.content.decode()
    assert 'id="verify-locked"' in body and "家门口葡萄园" not in body

    time_machine.move_to("2026-03-08 00:00:30+08:00", tick=False)
    assert _message_tags(_verify(client, concern)) == ["success"]


@pytest.mark.django_db
def test_a_right_answer_does_not_reset_the_daily_cap(client, concern, time_machine):
    time_machine.move_to("2026-03-07 08:00:00+08:00", tick=False)
    for _ in range(9):
        _verify(client, concern, digits="0000")
        time_machine.shift(30 * 60)
    assert _message_tags(_verify(client, concern)) == ["success"]  # the owner, within the limits
    time_machine.shift(30 * 60)

    _verify(Client(), concern, digits="0000")  # the tenth wrong try that day, from another browser

    assert _message_tags(_verify(Client(), concern)) == ["error"]


@pytest.mark.django_db
def test_twenty_one_wrong_tries_from_one_address_across_codes_lock_that_address(client, concern, deputy_user,
                                                                                category, time_machine):
    time_machine.move_to("2026-03-07 09:00:00+08:00", tick=False)
    others = [ConcernFactory(deputy=deputy_user.deputy, category=category, mobile=f"1370000{n:04d}")
              for n in range(5)]
    for other in others:  # four each: never five on one code
        for _ in range(4):
            _verify(client, other, digits="9999", ip="203.0.113.7")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _verify(client, concern, digits="0000", ip="203.0.113.7")  # the 21st

    assert [str(m) for m in response.context["messages"]] == [
        "Too many wrong tries from your connection. For your safety, try again in 60 minutes."
    ]
    assert _message_tags(_verify(client, concern, ip="203.0.113.7")) == ["error"]  # even the right digits
    assert 'id="verify-locked"' in client.get(reverse("petitions:track", args=[others[0].tracking]),
                                               REMOTE_ADDR="203.0.113.7").content.decode()

    time_machine.shift(60 * 60 + 1)
    assert _message_tags(_verify(client, concern, ip="203.0.113.7")) == ["success"]


@pytest.mark.django_db
def test_a_locked_address_does_not_lock_out_other_addresses(client, concern, deputy_user, category):
    others = [ConcernFactory(deputy=deputy_user.deputy, category=category, mobile=f"1370000{n:04d}")
              for n in range(5)]
    for other in others:
        for _ in range(4):
            _verify(client, other, digits="9999", ip="203.0.113.7")
    for _ in range(10):  # locked: these no longer count against the concern's own limits
        _verify(client, concern, digits="0000", ip="203.0.113.7")

    response = _verify(Client(), concern, ip="198.51.100.20")

    assert _message_tags(response) == ["success"]


@pytest.mark.django_db
def test_an_ipv6_client_is_limited_by_its_whole_64_network(client, concern, deputy_user, category):
    others = [ConcernFactory(deputy=deputy_user.deputy, category=category, mobile=f"1370000{n:04d}")
              for n in range(5)]
    for n, other in enumerate(others):
        for m in range(4):
            _verify(client, other, digits="9999", ip=f"2001:db8:1:2::{n}:{m}")

    assert _message_tags(_verify(client, concern, ip="2001:db8:1:2::ffff")) == ["error"]
    assert _message_tags(_verify(Client(), concern, ip="2001:db8:1:3::1")) == ["success"]


@pytest.mark.django_db
def test_verified_owner_of_a_resolved_concern_sees_the_rating_form(client, concern, deputy_user, handler, unit):
    concern = _resolve(concern, deputy_user=deputy_user, handler=handler, unit=unit)
    assert 'id="rate-form"' not in _track(client, concern)

    body = _verify(client, concern).content.decode()

    assert 'id="rate-form"' in body


@pytest.mark.django_db
def test_rating_satisfied_closes_the_concern(client, concern, deputy_user, handler, unit):
    concern = _resolve(concern, deputy_user=deputy_user, handler=handler, unit=unit)
    _verify(client, concern)

    response = client.post(reverse("petitions:rate", args=[concern.tracking]), {"satisfaction": "satisfied"})

    concern.refresh_from_db()
    assert response.status_code == 302
    assert (concern.status, concern.satisfaction, concern.outcome) == (S.CLOSED, "satisfied", Concern.Outcome.FIXED)


@pytest.mark.django_db
def test_rating_not_satisfied_reopens_the_concern(client, concern, deputy_user, handler, unit):
    concern = _resolve(concern, deputy_user=deputy_user, handler=handler, unit=unit)
    _verify(client, concern)

    client.post(reverse("petitions:rate", args=[concern.tracking]), {"satisfaction": "unsatisfied", "comment": "还是很脏"})

    concern.refresh_from_db()
    assert concern.status == S.IN_PROGRESS and concern.satisfaction_comment == "还是很脏"


@pytest.mark.django_db
def test_rating_without_verification_is_refused(client, concern, deputy_user, handler, unit):
    concern = _resolve(concern, deputy_user=deputy_user, handler=handler, unit=unit)

    response = client.post(reverse("petitions:rate", args=[concern.tracking]), {"satisfaction": "satisfied"},
                           follow=True)

    concern.refresh_from_db()
    assert _message_tags(response) == ["error"]
    assert concern.status == S.RESOLVED and concern.satisfaction == ""
    assert not concern.events.filter(kind=ConcernEvent.Kind.RATING).exists()


@pytest.mark.django_db
def test_rating_an_unresolved_concern_is_refused(client, concern):
    _verify(client, concern)

    response = client.post(reverse("petitions:rate", args=[concern.tracking]), {"satisfaction": "satisfied"},
                           follow=True)

    concern.refresh_from_db()
    assert _message_tags(response) == ["error"] and concern.status == S.SUBMITTED


@pytest.mark.django_db
def test_rating_without_a_choice_rerenders_with_the_comment_kept(client, concern, deputy_user, handler, unit):
    concern = _resolve(concern, deputy_user=deputy_user, handler=handler, unit=unit)
    _verify(client, concern)

    response = client.post(reverse("petitions:rate", args=[concern.tracking]), {"comment": "路灯还是不亮"})

    concern.refresh_from_db()
    assert response.status_code == 200 and "satisfaction" in response.context["rate_form"].errors
    assert "路灯还是不亮" in response.content.decode() and concern.status == S.RESOLVED


@pytest.mark.django_db
def test_verify_and_rate_are_post_only(client, concern):
    for name in ("petitions:verify", "petitions:rate"):
        assert client.get(reverse(name, args=[concern.tracking])).status_code == 405


@pytest.mark.django_db
def test_track_page_query_count_is_fixed_with_1_or_10_events(client, concern, handler, deputy_user, unit,
                                                             django_assert_num_queries, django_assert_max_num_queries):
    concern = concern_transition(concern=concern, action="accept", actor=deputy_user, role=workflow.DEPUTY)
    url = reverse("petitions:track", args=[concern.tracking])
    _verify(client, concern)  # the heaviest view: session, owner's photos and all
    with django_assert_max_num_queries(6) as few:
        client.get(url)

    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    for n in range(8):
        concern_comment(concern=concern, actor=handler, role=workflow.HANDLER, is_public=True, note=f"进展{n}",
                        photos=[_photo()])
    assert concern.events.count() >= 10
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_behind_a_proxy_the_client_address_comes_from_the_configured_header(rf, settings):
    from petitions.throttle import client_address as _client_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert _client_address(request) == "10.0.0.1"

    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"

    assert _client_address(request) == "203.0.113.7"


@pytest.mark.django_db
def test_a_resolved_patrol_report_does_not_invite_a_rating(client, deputy_user, category, official):
    from petitions.services import concern_resolve

    report = ConcernFactory(channel="patrol", category=category, deputy=deputy_user.deputy, mobile="", name="",
                            submitted_by=deputy_user)
    concern_resolve(concern=report, result="已清理", outcome="fixed", actor=official, role=workflow.OFFICIAL)

    body = _track(client, report)

    assert "已有办理结果，详见下方。" in body and "是否满意" not in body


@pytest.mark.django_db
def test_the_browser_that_filed_a_concern_sees_its_own_text_at_once(client, deputy_user, category):
    deputy = deputy_user.deputy
    client.post(reverse("petitions:file_to_deputy", args=[deputy.code]), {
        "name": NAME, "mobile": MOBILE, "category": category.pk, "content": "私下反映：村口路灯坏了三盏。",
        "token": "6f1c2a4e-8a0b-4f7e-9a51-2b1f0c3d4e5f", "started": form_opened_long_ago(),
    })
    concern = Concern.objects.get(content__startswith="私下反映")
    assert not concern.is_public

    own = _track(client, concern)
    stranger = _track(Client(), concern)

    assert "私下反映：村口路灯坏了三盏。" in own and "陈** · 138****5678" in own
    assert 'id="verify-form"' not in own  # nothing left to prove
    assert "私下反映" not in stranger
    assert "反映人未同意公开内容" in stranger


@pytest.mark.django_db
@pytest.mark.parametrize("end", ["reject", "merge", "answer_and_close"])
def test_an_ended_case_without_a_unit_never_says_not_yet_assigned(client, concern, official, end):
    if end == "reject":
        concern_transition(concern=concern, action="reject", actor=official, role=workflow.OFFICIAL, note="不属于受理范围")
    elif end == "merge":
        concern_merge(concern=concern, into=ConcernFactory(category=concern.category), actor=official,
                      role=workflow.OFFICIAL)
    else:
        concern = concern_resolve(concern=concern, result="已电话解释政策。", outcome=Concern.Outcome.EXPLAINED,
                                  actor=official, role=workflow.OFFICIAL)
        concern_transition(concern=concern, action="close", actor=official, role=workflow.OFFICIAL)
    concern.refresh_from_db()
    assert not concern.is_open and concern.unit is None

    body = _track(client, concern)

    assert "尚未交办" not in body
    assert 'id="concern-unit"' not in body


@pytest.mark.django_db
def test_an_open_case_without_a_unit_says_not_yet_assigned_and_an_ended_one_names_its_unit(
    client, concern, deputy_user, handler, unit
):
    assert 'id="concern-unit">尚未交办<' in _track(client, concern)

    concern = _resolve(concern, deputy_user=deputy_user, handler=handler, unit=unit)
    concern_transition(concern=concern, action="close", actor=None, role=workflow.SYSTEM)

    assert f'id="concern-unit">{unit.name}<' in _track(client, concern)


# --- the owner's browser and strangers' guesses ----------------------------------------------------

def _file_from(client, deputy, category) -> Concern:
    client.post(reverse("petitions:file_to_deputy", args=[deputy.code]), {
        "name": NAME, "mobile": MOBILE, "category": category.pk,
        "content": "私下反映：村口路灯坏了三盏。", "token": "7f1c2a4e-8a0b-4f7e-9a51-2b1f0c3d4e5f",
        "started": form_opened_long_ago(),
    }, REMOTE_ADDR="198.51.100.1")
    return Concern.objects.get(content__startswith="私下反映")


def _guess_from_many_addresses(concern, tries: int) -> None:
    for n in range(tries):
        _verify(Client(), concern, digits="0000", ip=f"203.0.113.{n // 5 + 1}")  # five from each address


@pytest.mark.django_db
def test_strangers_guesses_never_lock_out_the_browser_that_filed_the_concern(client, deputy_user, category,
                                                                           handler, unit):
    concern = _file_from(client, deputy_user.deputy, category)
    _guess_from_many_addresses(concern, throttle.VERIFY_MAX_TRIES_PER_CODE_PER_DAY)
    assert 'id="verify-locked"' in _track(Client(), concern)  # locked for every other browser

    own = _track(client, concern)

    assert "私下反映" in own and 'id="verify-locked"' not in own and 'id="verify-form"' not in own
    concern = _resolve(concern, deputy_user=deputy_user, handler=handler, unit=unit)
    client.post(reverse("petitions:rate", args=[concern.tracking]), {"satisfaction": "satisfied"})
    concern.refresh_from_db()
    assert concern.status == S.CLOSED


@pytest.mark.django_db
def test_the_filing_browser_is_known_by_its_signed_cookie_after_its_session_ended(client, deputy_user, category):
    concern = _file_from(client, deputy_user.deputy, category)
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)  # (a filing starts none: the cookie is all there is)
    forged = Client()
    forged.cookies["filed"] = concern.tracking  # unsigned: anyone could write it

    assert "私下反映" in _track(client, concern)
    assert "私下反映" not in _track(forged, concern)


@pytest.mark.django_db
def test_a_strangers_guesses_from_another_connection_do_not_lock_the_owner_on_theirs(client, concern):
    for _ in range(throttle.VERIFY_MAX_TRIES_PER_DAY):
        _verify(Client(), concern, digits="0000", ip="203.0.113.9")
    assert 'id="verify-locked"' in Client().get(concern.get_absolute_url(), REMOTE_ADDR="203.0.113.9").content.decode()

    response = _verify(client, concern, ip="198.51.100.20")  # the owner's phone, a browser that did not file it

    assert _message_tags(response) == ["success"]


@pytest.mark.django_db
def test_guesses_spread_over_many_addresses_stop_at_thirty_a_day_for_the_code(concern):
    _guess_from_many_addresses(concern, throttle.VERIFY_MAX_TRIES_PER_CODE_PER_DAY)

    response = _verify(Client(), concern, ip="192.0.2.77")  # a fresh address, the right digits

    assert _message_tags(response) == ["error"] and "家门口葡萄园" not in response.content.decode()

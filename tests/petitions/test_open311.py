"""The open API's reads (Open311 GeoReport v2): discovery, services, service definitions, service requests.

Field lists are the spec's (http://wiki.open311.org/GeoReport_v2), asserted as exact key sets; answers show
no more of a concern than its public tracking page shows a stranger.
"""

import datetime
import io
import json
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from petitions import workflow
from petitions.models import Concern
from petitions.services import concern_assign, concern_comment, concern_merge, concern_resolve, concern_transition
from tests.factories import CategoryFactory, ConcernFactory, DeputyFactory, TownshipFactory, UnitFactory, VillageFactory

ROOT = "/open311/v2/"
SERVICE_KEYS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
DEFINITION_KEYS = {"service_code", "attributes"}
ATTRIBUTE_KEYS = {"variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"}
REQUEST_KEYS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
}
EXTENSION_KEYS = {"status_detail", "outcome"}  # ours: the finer status and the outcome
ERROR_KEYS = {"code", "description"}
DISCOVERY_KEYS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_KEYS = {"specification", "url", "changeset", "type", "formats"}
S = Concern.Status


def _get(client, path: str, expect: int = 200, **params):
    response = client.get(ROOT + path, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def _xml(client, path: str, expect: int = 200, **params) -> ElementTree.Element:
    response = client.get(ROOT + path, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def _photo() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def _public(category, **fields) -> Concern:
    return ConcernFactory(category=category, is_public=True, **fields)


def _filed_days_ago(concern: Concern, days: int) -> Concern:
    Concern.objects.filter(pk=concern.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    return concern


def _ids(answer) -> list[str]:
    return [row["service_request_id"] for row in answer]


# --- discovery and services ----------------------------------------------------------------------

@pytest.mark.django_db
def test_discovery_names_the_spec_the_root_and_the_jurisdictions(client):
    other = TownshipFactory(code="butou", name="埠头镇")

    answer = _get(client, "discovery.json")

    assert DISCOVERY_KEYS <= set(answer) and set(answer) - DISCOVERY_KEYS == {"jurisdictions"}
    endpoint, = answer["endpoints"]
    assert set(endpoint) == ENDPOINT_KEYS
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert {"jurisdiction_id": other.code, "name": "埠头镇"} in answer["jurisdictions"]
    assert _get(client, "") == answer  # the root answers the same document


@pytest.mark.django_db
def test_services_are_the_active_categories_with_the_spec_s_fields(client, category):
    CategoryFactory(name="停用的类别", is_active=False)

    services = _get(client, "services.json")

    assert [s["service_code"] for s in services] == [category.code]
    service, = services
    assert set(service) == SERVICE_KEYS
    assert service == {
        "service_code": "huanjingweisheng", "service_name": "环境卫生",
        "description": "交办承办单位后 5 个工作日内办理。", "metadata": True, "type": "realtime",
        "keywords": None, "group": category.default_unit.name,
    }


@pytest.mark.django_db
def test_services_xml_has_the_spec_s_elements(client, category):
    root = _xml(client, "services.xml")

    assert root.tag == "services"
    service, = root
    assert service.tag == "service"
    assert {child.tag for child in service} == SERVICE_KEYS
    assert service.findtext("service_code") == category.code
    assert service.findtext("metadata") == "true"


@pytest.mark.django_db
def test_a_service_definition_offers_the_web_form_s_village_and_consent(client, category):
    VillageFactory(name="白塔村")

    definition = _get(client, f"services/{category.code}.json")

    assert set(definition) == DEFINITION_KEYS and definition["service_code"] == category.code
    assert all(set(a) == ATTRIBUTE_KEYS for a in definition["attributes"])
    by_code = {a["code"]: a for a in definition["attributes"]}
    assert [a["order"] for a in definition["attributes"]] == [1, 2, 3]
    assert by_code["consent"]["variable"] is False and "公开页面不会完整显示" in by_code["consent"]["description"]
    # The whole notice, as the web form shows it: how long, whom to ask, its version (docs/privacy.md).
    assert "白塔镇人大代表联络站" in by_code["consent"]["description"]
    assert settings.PRIVACY_NOTICE_VERSION in by_code["consent"]["description"]
    assert {"key": "白塔村", "name": "白塔村"} in by_code["village"]["values"]
    assert {v["key"] for v in by_code["is_public"]["values"]} == {"true", "false"}
    assert not any(a["required"] for a in definition["attributes"])


@pytest.mark.django_db
def test_a_service_definition_in_xml(client, category):
    root = _xml(client, f"services/{category.code}.xml")

    assert root.tag == "service_definition"
    assert {child.tag for attribute in root.find("attributes") for child in attribute} == ATTRIBUTE_KEYS
    assert root.find("attributes")[0].tag == "attribute"


@pytest.mark.django_db
def test_an_unknown_or_inactive_service_code_is_the_spec_s_404(client, category):
    inactive = CategoryFactory(name="停用", is_active=False)

    for code in ["nosuch", inactive.code]:
        errors = _get(client, f"services/{code}.json", expect=404)
        assert [set(e) for e in errors] == [ERROR_KEYS] and errors[0]["code"] == 404


# --- service requests -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_request_has_exactly_the_spec_s_fields_and_our_two_extensions(client, category):
    concern = _public(category)

    for answer in (_get(client, "requests.json"), _get(client, f"requests/{concern.tracking}.json")):
        row, = answer
        assert set(row) == REQUEST_KEYS | EXTENSION_KEYS
        assert row["service_request_id"] == concern.tracking
        assert (row["status"], row["status_detail"], row["outcome"]) == ("open", "submitted", None)
        assert (row["service_code"], row["service_name"]) == (category.code, "环境卫生")
        assert datetime.datetime.fromisoformat(row["requested_datetime"]) == concern.created_at.replace(microsecond=0)
        assert row["requested_datetime"].endswith("+08:00")


@pytest.mark.django_db
def test_requests_xml_has_the_spec_s_elements(client, category):
    concern = _public(category)

    root = _xml(client, "requests.xml")

    assert root.tag == "service_requests"
    request, = root
    assert request.tag == "request"
    assert {child.tag for child in request} == REQUEST_KEYS | EXTENSION_KEYS
    assert request.findtext("service_request_id") == concern.tracking
    assert request.findtext("status") == "open"


@pytest.mark.django_db
def test_an_assigned_concern_names_its_unit_and_its_deadline(client, category, unit, official):
    concern = concern_assign(concern=_public(category), unit=unit, actor=official, role=workflow.OFFICIAL)

    row, = _get(client, f"requests/{concern.tracking}.json")

    assert row["agency_responsible"] == unit.name
    assert row["expected_datetime"] == f"{concern.deadline_on.isoformat()}T23:59:59+08:00"
    assert (row["status"], row["status_detail"]) == ("open", "assigned")


@pytest.mark.django_db
def test_a_resolved_concern_is_closed_with_its_result_and_outcome(client, category, unit, official):
    concern = concern_assign(concern=_public(category), unit=unit, actor=official, role=workflow.OFFICIAL)
    concern_resolve(concern=concern, result="路灯已更换。", outcome=Concern.Outcome.FIXED, actor=official,
                    role=workflow.OFFICIAL)

    row, = _get(client, f"requests/{concern.tracking}.json")

    assert (row["status"], row["status_detail"], row["outcome"]) == ("closed", "resolved", "fixed")
    assert row["status_notes"] == "路灯已更换。"
    assert row["expected_datetime"] is None  # the deadline no longer matters, as on the tracking page


@pytest.mark.django_db
def test_a_merged_concern_points_to_the_original(client, category, official):
    original, duplicate = _public(category), _public(category)
    concern_merge(concern=duplicate, into=original, actor=official, role=workflow.OFFICIAL)

    row, = _get(client, f"requests/{duplicate.tracking}.json")

    assert (row["status"], row["status_detail"], row["outcome"]) == ("closed", "merged", "duplicate")
    assert original.tracking in row["status_notes"]


@pytest.mark.django_db
def test_a_rejected_concern_gives_its_reason(client, category, official):
    concern = concern_transition(concern=_public(category), action="reject", actor=official, role=workflow.OFFICIAL,
                                 note="不属于本站受理范围。", result="不属于本站受理范围。")

    row, = _get(client, f"requests/{concern.tracking}.json")

    assert (row["status"], row["status_detail"], row["status_notes"]) == ("closed", "rejected", "不属于本站受理范围。")


@pytest.mark.django_db
def test_no_personal_data_in_any_answer(client, category, unit, official, django_capture_on_commit_callbacks):
    concern = ConcernFactory(
        category=category, is_public=True, name="陈西荣", mobile="13812345678", place="白塔村3号陈家门口",
        latitude="28.846352", longitude="120.733721", village=VillageFactory(name="白塔村"),
        content="我是陈西荣，电话13812345678，门口路灯坏了。",
    )
    concern = concern_assign(concern=concern, unit=unit, actor=official, role=workflow.OFFICIAL)
    concern_resolve(concern=concern, result="已联系陈西荣（13812345678），路灯已修好。", outcome=Concern.Outcome.FIXED,
                    actor=official, role=workflow.OFFICIAL)
    bodies = [client.get(ROOT + path).content.decode() for path in (
        "requests.json", "requests.xml", f"requests/{concern.tracking}.json", f"requests/{concern.tracking}.xml",
        f"requests.json?service_request_id={concern.tracking}")]

    for body in bodies:
        assert concern.tracking in body
        for personal in ("陈西荣", "13812345678", "陈家门口", "28.846", "120.733"):
            assert personal not in body
        assert "陈**" in body and "138****5678" in body  # typed into the text and the result: masked there
        assert "白塔村" in body  # the village, as the tracking page shows it


@pytest.mark.django_db
def test_the_text_is_shown_only_when_the_constituent_agreed(client, category):
    private = ConcernFactory(category=category, is_public=False, content="私下反映的内容")

    row, = _get(client, f"requests/{private.tracking}.json")

    assert row["description"] is None
    assert "私下反映的内容" not in json.dumps(row, ensure_ascii=False)


@pytest.mark.django_db
def test_the_list_holds_only_public_concerns_but_any_is_found_by_its_code(client, category):
    public, private = _public(category), ConcernFactory(category=category, is_public=False)

    assert _ids(_get(client, "requests.json")) == [public.tracking]
    assert _ids(_get(client, "requests.json", service_request_id=f"{public.tracking},{private.tracking}")) == [
        private.tracking, public.tracking]  # newest first
    assert _ids(_get(client, f"requests/{private.tracking}.json")) == [private.tracking]


@pytest.mark.django_db
def test_media_url_is_a_public_photo_only(client, category, unit, handler, official):
    with_photo = _public(category, photos=[_photo()])
    private = ConcernFactory(category=category, is_public=False, photos=[_photo()])
    concern_assign(concern=private, unit=unit, actor=official, role=workflow.OFFICIAL)
    concern_comment(concern=private, actor=handler, role=workflow.HANDLER, is_public=False, note="内部",
                    photos=[_photo()])

    row, = _get(client, f"requests/{with_photo.tracking}.json")
    hidden, = _get(client, f"requests/{private.tracking}.json")

    photo = with_photo.photos.get()
    assert row["media_url"] == "https://station.example.cn" + reverse("petitions:photo", args=[photo.key])
    assert client.get(row["media_url"].removeprefix("https://station.example.cn")).status_code == 200
    assert hidden["media_url"] is None


@pytest.mark.django_db
def test_requests_filter_by_status_and_service_code(client, category, unit, official):
    other = CategoryFactory(name="道路交通")
    open_one, on_other = _public(category), _public(other)
    closed_one = concern_resolve(concern=_public(category), result="已答复。", outcome=Concern.Outcome.EXPLAINED,
                                 actor=official, role=workflow.OFFICIAL)

    assert _ids(_get(client, "requests.json", status="open", service_code=category.code)) == [open_one.tracking]
    assert _ids(_get(client, "requests.json", status="closed")) == [closed_one.tracking]
    assert set(_ids(_get(client, "requests.json", status="open,closed"))) == {
        open_one.tracking, on_other.tracking, closed_one.tracking}
    # A parameter given several times reads as its comma list.
    assert set(_ids(client.get(ROOT + "requests.json?service_code=" + category.code + "&service_code=" + other.code)
                    .json())) == {open_one.tracking, on_other.tracking, closed_one.tracking}


@pytest.mark.django_db
def test_requests_default_to_the_last_90_days_newest_first(client, category):
    recent, older = _public(category), _filed_days_ago(_public(category), 30)
    _filed_days_ago(_public(category), 100)

    assert _ids(_get(client, "requests.json")) == [recent.tracking, older.tracking]


@pytest.mark.django_db
def test_requests_within_start_and_end_date(client, category):
    _public(category)
    month_ago = _filed_days_ago(_public(category), 30)
    _filed_days_ago(_public(category), 100)
    start = (timezone.now() - datetime.timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - datetime.timedelta(days=20)).isoformat()

    assert _ids(_get(client, "requests.json", start_date=start, end_date=end)) == [month_ago.tracking]
    # start alone: 90 days from it; the recent one is inside, the 100-day-old one before it.
    assert len(_get(client, "requests.json", start_date=start)) == 2


@pytest.mark.django_db
def test_an_offset_sent_unencoded_is_read_as_meant(client, category):
    concern = _filed_days_ago(_public(category), 30)
    start = (timezone.localtime() - datetime.timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%S+08:00")

    # "+" unencoded in a query string arrives as a space.
    response = client.get(ROOT + "requests.json?start_date=" + start)

    assert response.status_code == 200 and concern.tracking in response.content.decode()


@pytest.mark.django_db
def test_requests_stop_at_1000(client, category, monkeypatch):
    from petitions.views import open311

    monkeypatch.setattr(open311, "LIMIT", 2)
    newest = [_public(category) for _ in range(3)][::-1]

    assert _ids(_get(client, "requests.json")) == [c.tracking for c in newest[:2]]


@pytest.mark.django_db
@pytest.mark.parametrize("params", [
    {"status": "pending"}, {"start_date": "yesterday"},
    {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},  # more than 90 days
    {"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
])
def test_a_bad_filter_is_a_400_in_the_spec_s_format(client, category, params):
    errors = _get(client, "requests.json", expect=400, **params)

    assert errors and all(set(e) == ERROR_KEYS and e["code"] == 400 for e in errors)


@pytest.mark.django_db
def test_an_unknown_request_is_the_spec_s_404(client, db):
    errors = _get(client, "requests/nosuchcode.json", expect=404)

    assert errors[0]["code"] == 404 and "nosuchcode" in errors[0]["description"]


@pytest.mark.django_db
def test_errors_in_xml(client, db):
    root = _xml(client, "requests/nosuchcode.xml", expect=404)

    assert root.tag == "errors" and root[0].tag == "error"
    assert root[0].findtext("code") == "404" and root[0].findtext("description")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["services.csv", "requests.html", "services", "tokens/abc.json", "nothing/here"])
def test_an_unknown_format_or_resource_is_a_404_in_json(client, path, db):
    errors = _get(client, path, expect=404)

    assert [set(e) for e in errors] == [ERROR_KEYS]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["delete", "post"])
def test_a_wrong_method_is_refused_in_the_spec_s_format(method, db):
    response = getattr(Client(enforce_csrf_checks=True), method)(ROOT + "services.json")

    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert json.loads(response.content)[0]["code"] == 405


@pytest.mark.django_db
def test_xml_leaves_out_control_characters_it_cannot_carry(client, category):
    concern = _public(category, content="路灯坏了\x0b\x01，晚上很黑。")

    root = _xml(client, f"requests/{concern.tracking}.xml")

    assert root[0].findtext("description") == "路灯坏了，晚上很黑。"
    row, = _get(client, f"requests/{concern.tracking}.json")
    assert row["description"] == "路灯坏了\x0b\x01，晚上很黑。"


@pytest.mark.django_db
def test_descriptions_are_chinese_by_default_and_english_on_request(client, db):
    chinese = _get(client, "requests/nosuchcode.json", expect=404)[0]["description"]
    english = _get(client, "requests/nosuchcode.json", expect=404, locale="en")[0]["description"]

    assert "没有" in chinese
    assert english == "No service request has the service_request_id nosuchcode in this jurisdiction."


@pytest.mark.django_db
def test_reads_may_be_fetched_by_any_web_page(client, category):
    assert client.get(ROOT + "services.json")["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_head_is_answered(client, category):
    response = client.head(ROOT + "services.json")

    assert response.status_code == 200 and response.content == b""


# --- jurisdictions ----------------------------------------------------------------------------------

@pytest.fixture
def other_township(db):
    return TownshipFactory(code="butou", name="埠头镇")


def _concern_in(township) -> Concern:
    category = CategoryFactory(township=township, name="环境卫生")
    return ConcernFactory(category=category, deputy=DeputyFactory(township=township), is_public=True)


@pytest.mark.django_db
def test_several_townships_need_a_jurisdiction_id(client, category, other_township):
    errors = _get(client, "services.json", expect=400)

    assert errors[0]["code"] == 400 and "jurisdiction_id" in errors[0]["description"]


@pytest.mark.django_db
def test_an_unknown_jurisdiction_is_a_404(client, category):
    errors = _get(client, "services.json", expect=404, jurisdiction_id="nowhere")

    assert "nowhere" in errors[0]["description"]


@pytest.mark.django_db
def test_a_township_s_concerns_stay_in_its_jurisdiction(client, category, other_township):
    here, there = _public(category), _concern_in(other_township)

    assert _ids(_get(client, "requests.json", jurisdiction_id="baita")) == [here.tracking]
    assert _ids(_get(client, "requests.json", jurisdiction_id="butou")) == [there.tracking]
    _get(client, f"requests/{there.tracking}.json", expect=404, jurisdiction_id="baita")
    assert _ids(_get(client, f"requests/{there.tracking}.json", jurisdiction_id="butou")) == [there.tracking]
    # Codes asked for explicitly are still only this jurisdiction's.
    assert _ids(_get(client, "requests.json", jurisdiction_id="baita",
                     service_request_id=f"{here.tracking},{there.tracking}")) == [here.tracking]


@pytest.mark.django_db
def test_a_township_s_services_are_its_own_categories(client, category, other_township):
    theirs = CategoryFactory(township=other_township, name="渔业")

    assert [s["service_name"] for s in _get(client, "services.json", jurisdiction_id="butou")] == ["渔业"]
    _get(client, f"services/{theirs.code}.json", expect=404, jurisdiction_id="baita")


# --- cost --------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_requests_json_runs_the_same_queries_for_one_or_many(
    client, category, official, django_assert_num_queries, django_assert_max_num_queries
):
    _public(category, photos=[_photo()])
    with django_assert_max_num_queries(5) as one:
        assert len(_get(client, "requests.json")) == 1
    for n in range(10):
        concern = _public(CategoryFactory(), village=VillageFactory(), photos=[_photo()] if n % 2 else [])
        if n % 3:
            concern_assign(concern=concern, unit=UnitFactory(), actor=official, role=workflow.OFFICIAL)

    with django_assert_num_queries(len(one.captured_queries)):
        assert len(_get(client, "requests.json")) == 11

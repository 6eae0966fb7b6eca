"""Filing a concern through the open API (Open311 GeoReport v2, POST requests): an API key per integrator,
counted per key, and the web form's checks, repeat detection and messages."""

import json
from xml.etree import ElementTree

import pytest

from liaison import counters
from liaison.apikeys import api_client_create
from liaison.models import Notification
from petitions.models import Concern
from tests.factories import CategoryFactory, ConcernFactory, TownshipFactory, VillageFactory

URL = "/open311/v2/requests.json"
POST_KEYS = {"service_request_id", "service_notice", "account_id"}
ERROR_KEYS = {"code", "description"}
MOBILE = "13812345678"


@pytest.fixture
def api_key(db) -> str:
    return api_client_create(name="县12345热线")[1]


def _request(category, api_key, **fields) -> dict:
    return {"api_key": api_key, "service_code": category.code, "first_name": "西荣", "last_name": "陈",
            "phone": MOBILE, "description": "村口路灯坏了一个星期，晚上看不见路。", **fields}


def _post(client, data, status=200, url=URL):
    response = client.post(url, data)
    assert response.status_code == status, response.content
    return json.loads(response.content)


def _descriptions(errors) -> str:
    assert all(set(e) == ERROR_KEYS for e in errors)
    return " ".join(e["description"] for e in errors)


@pytest.mark.django_db
def test_filing_makes_a_concern_as_the_web_form_does(client, category, api_key):
    village = VillageFactory(name="白塔村")

    attributes = {"attribute[village]": "白塔村", "attribute[is_public]": "true"}
    answer = _post(client, _request(category, api_key, address_string="村口小卖部旁", lat="28.8463521",
                                    long="120.7337208", **attributes))

    concern = Concern.objects.get()
    assert [set(row) for row in answer] == [POST_KEYS]
    assert answer[0]["service_request_id"] == concern.tracking and answer[0]["account_id"] is None
    assert f"/t/{concern.tracking}/" in answer[0]["service_notice"]
    assert (concern.channel, concern.category, concern.village, concern.place) == (
        Concern.Channel.ONLINE, category, village, "村口小卖部旁")
    assert (concern.constituent.name, concern.constituent.mobile) == ("陈西荣", MOBILE)
    assert str(concern.latitude) == "28.846352" and str(concern.longitude) == "120.733721"
    assert concern.is_public and concern.api_client.name == "县12345热线"
    assert concern.township == category.township and concern.status == Concern.Status.SUBMITTED
    # The constituent gets the tracking code by SMS, as after filing on the web.
    sms = Notification.objects.get(recipient=MOBILE)
    assert concern.tracking in sms.body


@pytest.mark.django_db
def test_a_json_body_is_accepted_too(client, category, api_key):
    VillageFactory(name="白塔村")
    body = {**_request(category, api_key), "attribute": {"village": "白塔村", "is_public": "false"}}

    response = client.post(URL, json.dumps(body), content_type="application/json")

    assert response.status_code == 200, response.content
    concern = Concern.objects.get()
    assert concern.village.name == "白塔村" and not concern.is_public


@pytest.mark.django_db
def test_the_answer_in_xml(client, category, api_key):
    response = client.post("/open311/v2/requests.xml", _request(category, api_key))

    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests" and root[0].tag == "request"
    assert {child.tag for child in root[0]} == POST_KEYS
    assert root[0].findtext("service_request_id") == Concern.objects.get().tracking


@pytest.mark.django_db
def test_the_same_post_twice_files_once_and_messages_once(client, category, api_key):
    first = _post(client, _request(category, api_key))
    again = _post(client, _request(category, api_key, description=" 村口路灯坏了一个星期，\n晚上看不见路。"))

    assert Concern.objects.count() == 1
    assert again[0]["service_request_id"] == first[0]["service_request_id"]
    assert "不会重复登记" in again[0]["service_notice"]
    assert Notification.objects.filter(recipient=MOBILE).count() == 1


@pytest.mark.django_db
def test_a_repeat_of_a_concern_filed_elsewhere_is_not_told_its_code(client, category, api_key):
    web = ConcernFactory(category=category, deputy=None, mobile=MOBILE, content="村口路灯坏了一个星期，晚上看不见路。")

    response = client.post(URL, _request(category, api_key))

    assert response.status_code == 400 and Concern.objects.count() == 1
    body = response.content.decode()
    assert web.tracking not in body and "138****5678" in body and "未重复登记" in body


@pytest.mark.django_db
def test_another_client_s_concern_is_not_told_either(client, category, api_key):
    _post(client, _request(category, api_key))
    other_key = api_client_create(name="县政务门户")[1]

    response = client.post(URL, _request(category, other_key))

    assert response.status_code == 400 and Concern.objects.get().tracking not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("key", [None, "", "not-a-key"])
def test_filing_needs_a_valid_api_key(client, category, key):
    data = _request(category, key)
    if key is None:
        del data["api_key"]

    errors = _post(client, data, status=403)

    assert errors[0]["code"] == 403 and "api_key" in _descriptions(errors)
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_a_deactivated_key_is_refused(client, category):
    api_client, key = api_client_create(name="旧系统")
    api_client.is_active = False
    api_client.save()

    _post(client, _request(category, key), status=403)


@pytest.mark.django_db
def test_filing_needs_no_csrf_token(category, api_key):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, _request(category, api_key))

    assert response.status_code == 200 and Concern.objects.count() == 1


@pytest.mark.django_db
def test_the_key_may_also_come_in_the_query_string(client, category, api_key):
    data = _request(category, api_key)
    del data["api_key"]

    _post(client, data, url=f"{URL}?api_key={api_key}")

    assert Concern.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_or_missing_service_code(client, category, api_key):
    errors = _post(client, _request(category, api_key, service_code="nosuch"), status=404)
    assert errors[0]["code"] == 404 and "nosuch" in _descriptions(errors)

    errors = _post(client, _request(category, api_key, service_code=""), status=400)
    assert "service_code" in _descriptions(errors)


@pytest.mark.django_db
def test_every_missing_or_bad_field_is_named_at_once(client, category, api_key):
    data = _request(category, api_key, phone="1234", description="", first_name="", last_name="", lat="91",
                    long="120")

    errors = _post(client, data, status=400)

    text = _descriptions(errors)
    for name in ("phone", "description", "first_name/last_name", "lat/long"):
        assert name in text
    assert "11 位大陆手机号" in text  # the web form's own message
    assert not Concern.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "named"), [
    ({"description": "长" * 2001}, "description"),
    ({"attribute[village]": "不存在村"}, "attribute[village]"),
    ({"lat": "28.8"}, "lat/long"),
    ({"lat": "nan", "long": "120"}, "lat/long"),
])
def test_the_web_form_s_limits_hold(client, category, api_key, fields, named):
    errors = _post(client, _request(category, api_key, **fields), status=400)

    assert named in _descriptions(errors) and not Concern.objects.exists()


@pytest.mark.django_db
def test_a_mobile_typed_with_spaces_and_86_is_the_same_mobile(client, category, api_key):
    _post(client, _request(category, api_key, phone="+86 138 1234 5678"))

    assert Concern.objects.get().constituent.mobile == MOBILE


@pytest.mark.django_db
def test_latin_names_keep_their_order(client, category, api_key):
    _post(client, _request(category, api_key, first_name="John", last_name="Smith"))

    assert Concern.objects.get().constituent.name == "John Smith"


@pytest.mark.django_db
def test_filings_are_counted_per_key(client, category, api_key, settings):
    settings.OPEN311_POSTS_PER_HOUR = 2
    for n in range(2):
        _post(client, _request(category, api_key, description=f"第{n}件事"))

    response = client.post(URL, _request(category, api_key, description="第三件事"))

    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert json.loads(response.content)[0]["code"] == 429
    assert Concern.objects.count() == 2
    # Another integrator's key has its own count.
    _post(client, _request(category, api_client_create(name="县政务门户")[1], description="第三件事"))


@pytest.mark.django_db
def test_with_its_counters_out_of_reach_a_key_still_files(client, category, api_key, settings, monkeypatch):
    # The county issued the key and can switch it off: our outage must not stop the hotline's filings.
    settings.OPEN311_POSTS_PER_HOUR = 0

    def unavailable(*args):
        raise counters.Unavailable("frozen")

    monkeypatch.setattr(counters, "hit", unavailable)

    _post(client, _request(category, api_key))

    assert Concern.objects.count() == 1


# --- jurisdictions ----------------------------------------------------------------------------------

@pytest.fixture
def butou(db):
    return TownshipFactory(code="butou", name="埠头镇")


@pytest.mark.django_db
def test_a_concern_is_filed_into_the_jurisdiction_named(client, category, api_key, butou):
    theirs = CategoryFactory(township=butou, name="渔业")

    _post(client, _request(theirs, api_key, jurisdiction_id="butou"))

    concern = Concern.objects.get()
    assert concern.township == butou and concern.category == theirs
    # A category of another township is no service here.
    _post(client, _request(category, api_key, jurisdiction_id="butou", description="别的事"), status=404)


@pytest.mark.django_db
def test_several_townships_need_a_jurisdiction_id_to_file(client, category, api_key, butou):
    errors = _post(client, _request(category, api_key), status=400)

    assert "jurisdiction_id" in _descriptions(errors)
    _post(client, _request(category, api_key, jurisdiction_id="nowhere"), status=404)


@pytest.mark.django_db
def test_a_key_files_only_into_its_townships(client, category, butou):
    _api_client, key = api_client_create(name="埠头镇系统", townships=[butou])

    errors = _post(client, _request(category, key, jurisdiction_id="baita"), status=403)

    assert "baita" in _descriptions(errors) and not Concern.objects.exists()


@pytest.mark.django_db
def test_the_desk_shows_which_system_filed_it(client, category, api_key, staff):
    _post(client, _request(category, api_key))
    client.force_login(staff)

    page = client.get(f"/desk/concerns/{Concern.objects.get().tracking}/").content.decode()

    assert "县12345热线" in page and "陈西荣" in page  # the desk sees the person, as for any concern

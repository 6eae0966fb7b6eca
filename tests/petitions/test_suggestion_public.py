"""The public pages of adopted suggestions (/suggestions/, /suggestions/<code>/): only answered suggestions in
an adopted category, the answer with its category, unit and the deputy's rating, no personal data, and a
query count that does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from petitions import suggestion_services as services
from petitions import suggestion_workflow as workflow
from petitions.models import Suggestion
from tests.factories import ConcernFactory, DeputyFactory, UnitFactory, the_township

S = Suggestion.Status
NAME, MOBILE = "陈西荣", "13812345678"


def _category(code: str):
    return services.answer_categories(township=the_township()).get(code=code)


def _suggestion(*, title="关于修缮村道的建议", content="村道破损，建议修缮。", deputy=None, cosigner=None, concerns=(),
                unit=None, until=S.CLOSED, category="A", rating="rate_satisfied") -> Suggestion:
    suggestion = services.suggestion_create(deputy=deputy or DeputyFactory(), title=title, content=content,
                                            concerns=concerns, cosigners=[cosigner] if cosigner else [])
    if cosigner:
        services.suggestion_cosign(suggestion=suggestion, deputy=cosigner)
    steps = [("submit", workflow.DEPUTY, {}), ("assign", workflow.STAFF, {"lead_unit": unit or UnitFactory()}),
             ("accept", workflow.HANDLER, {}),
             ("answer", workflow.HANDLER, {"answer": f"已列入年度计划。{content}",
                                           "answer_category": _category(category)}),
             (rating, workflow.DEPUTY, {"note": "答复不具体"})]
    order = [S.SUBMITTED, S.ASSIGNED, S.ACCEPTED, S.ANSWERED, S.CLOSED]
    for (action, role, extra), reached in zip(steps, order, strict=True):
        suggestion = services.suggestion_transition(suggestion=suggestion, action=action, role=role, **extra)
        if reached == until:
            break
    return suggestion


@pytest.mark.django_db
def test_only_answered_suggestions_in_an_adopted_category_are_public(client):
    shown = {
        "closed": _suggestion(title="甲已办结"),
        "answered": _suggestion(title="乙待评价", until=S.ANSWERED, category="B"),
    }
    hidden = {
        "draft": services.suggestion_create(deputy=DeputyFactory(), title="丙草稿", content="c"),
        "handled": _suggestion(title="丁办理中", until=S.ACCEPTED),
        "reference": _suggestion(title="戊参考", category="C"),
        "refused": _suggestion(title="己不予采纳", category="D"),
        # "Not satisfied": back to the unit; off the public pages until it is answered again.
        "rehandled": _suggestion(title="庚重新办理", rating="rate_unsatisfied"),
    }
    body = client.get("/suggestions/").content.decode()

    for suggestion in shown.values():
        assert suggestion.is_public and suggestion.title in body
        assert client.get(f"/suggestions/{suggestion.code}/").status_code == 200
    for suggestion in hidden.values():
        assert not suggestion.is_public and suggestion.title not in body
        assert client.get(f"/suggestions/{suggestion.code}/").status_code == 404
    assert "代表建议" in body  # Chinese by default


@pytest.mark.django_db
def test_detail_shows_the_answer_category_unit_rating_and_the_deputies(client):
    lead, cosigner = DeputyFactory(name="王智慧"), DeputyFactory(name="李建国")
    unit = UnitFactory(name="白塔镇村镇建设办公室")
    suggestion = _suggestion(deputy=lead, cosigner=cosigner, unit=unit, rating="rate_basically")

    body = client.get(suggestion.get_absolute_url()).content.decode()

    assert "A 已解决/采纳" in body or "已解决" in body
    assert "白塔镇村镇建设办公室" in body and "已列入年度计划" in body
    assert "基本满意" in body
    assert f'href="/d/{lead.code}/"' in body and f'href="/d/{cosigner.code}/"' in body
    assert f"/desk/suggestions/{suggestion.pk}/" not in body and f"/suggestions/{suggestion.pk}/" not in body

    waiting = _suggestion(until=S.ANSWERED)
    assert "尚未评价" in client.get(waiting.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_no_constituent_data_leaks_from_the_concerns_it_grew_from(client):
    concern = ConcernFactory(name=NAME, mobile=MOBILE, content=f"我是{NAME}，电话{MOBILE}，村口路灯不亮")
    text = f"{NAME}反映村口路灯不亮（联系电话{MOBILE}），建议修复。另有群众13900001111来电。"
    suggestion = _suggestion(title=f"{NAME}反映的路灯问题", content=text, concerns=[concern])

    for url in ("/suggestions/", suggestion.get_absolute_url(), f"/d/{suggestion.deputy.code}/"):
        body = client.get(url).content.decode()
        assert NAME not in body and MOBILE not in body and "13900001111" not in body, url
        assert concern.tracking not in body, url
    body = client.get(suggestion.get_absolute_url()).content.decode()
    assert "陈**" in body and "138****5678" in body and "139****1111" in body
    assert "1 件群众反映" in body  # the concerns as a count


@pytest.mark.django_db
def test_codes_in_capitals_redirect_and_unknown_codes_are_404(client):
    suggestion = _suggestion()
    response = client.get(f"/suggestions/{suggestion.code.upper()}/")
    assert response.status_code == 301 and response["Location"] == suggestion.get_absolute_url()
    assert client.get("/suggestions/zzzzzzz/").status_code == 404
    assert client.head("/suggestions/").status_code == 200


@pytest.mark.django_db
def test_desk_page_links_the_public_page_once_public(client, staff):
    public, handled = _suggestion(), _suggestion(until=S.ACCEPTED)
    client.force_login(staff)
    assert public.get_absolute_url() in client.get(reverse("desk:suggestion", args=[public.pk])).content.decode()
    assert handled.get_absolute_url() not in client.get(
        reverse("desk:suggestion", args=[handled.pk])).content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_public_list_and_detail_cost_the_same_queries_for_one_row_and_many(client):
    def rich():
        concerns = [ConcernFactory(), ConcernFactory()]
        return _suggestion(cosigner=DeputyFactory(), concerns=concerns)

    first = rich()
    client.get("/suggestions/")  # the township's host lookup is cached after the first request
    one = (_queries(client, "/suggestions/"), _queries(client, first.get_absolute_url()))
    for _ in range(5):
        last = rich()
    many = (_queries(client, "/suggestions/"), _queries(client, last.get_absolute_url()))
    assert many == one
    assert one[0] <= 6 and one[1] <= 4  # the count, the rows and three prefetches; the row and three

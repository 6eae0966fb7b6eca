"""Every public page tells search engines and chat-app link previews what it is: a meta
description, translated, and naming the deputy, site or concern the page is about."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CategoryFactory, ConcernFactory, DeputyFactory, form_opened_long_ago


def _description(response) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)">', response.content.decode())
    assert len(found) == 1, "one meta description per page"
    return html.unescape(found[0])


@pytest.fixture
def records(db):
    deputy = DeputyFactory(name="王智慧", post="白塔村党支部书记")
    category = CategoryFactory(name="环境卫生")
    concern = ConcernFactory(deputy=deputy, category=category)
    return {"deputy": deputy, "site": deputy.site, "category": category, "concern": concern}


@pytest.mark.django_db
def test_every_public_page_has_its_own_chinese_description(client, records):
    deputy, site, concern = records["deputy"], records["site"], records["concern"]
    pages = {
        "/": None,
        "/d/": "按姓名拼音排序",
        f"/d/{deputy.code}/": "王智慧",
        f"/s/{site.code}/": site.name,
        f"/d/{deputy.code}/concern/": "向王智慧代表反映问题",
        "/t/": "查询码",
        f"/t/{concern.tracking}/": concern.tracking,
        "/d/nosuch1/": None,
    }
    descriptions = {}
    for path, expected in pages.items():
        description = _description(client.get(path))
        assert re.search(r"[\u4e00-\u9fff]", description), f"{path}: {description!r} is not in Chinese"
        if expected:
            assert expected in description, f"{path}: {description!r}"
        descriptions[path] = description
    specific = [descriptions[path] for path, expected in pages.items() if expected]
    assert len(set(specific)) == len(specific)


@pytest.mark.django_db
def test_the_receipt_has_a_description(records):
    filer = Client()

    response = filer.post(reverse("petitions:file_to_deputy", args=[records["deputy"].code]), {
        "name": "陈西荣", "mobile": "13812345678", "category": records["category"].pk, "content": "路灯坏了。",
        "token": "6f1c2a4e-8a0b-4f7e-9a51-2b1f0c3d4e5f", "started": form_opened_long_ago(),
    }, follow=True)

    assert response.resolver_match.view_name == "petitions:receipt"
    assert "查询码" in _description(response)


@pytest.mark.django_db
def test_the_english_description_follows_the_language_switch(client, records):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    description = _description(client.get(f"/d/{records['deputy'].code}/"))

    assert description.startswith("王智慧, ") and "deputy" in description

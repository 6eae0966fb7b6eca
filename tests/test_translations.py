"""Simplified Chinese is what users see by default: the catalogue must be complete."""

from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_zh_hans_entry_is_translated_and_not_fuzzy():
    po = polib.pofile(str(CATALOGUE / "django.po"))

    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))

    def entries(catalogue):
        return {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                for e in catalogue if not e.obsolete and e.msgid}

    assert entries(po) == entries(mo), "run `make messages` to recompile django.mo"


@pytest.mark.django_db
def test_pages_are_chinese_by_default_and_english_on_request(client):
    assert "人大代表名录" in client.get("/d/").content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/d/"})

    assert "Deputy directory" in client.get("/d/").content.decode()


@pytest.mark.django_db
def test_an_english_phone_still_gets_chinese_until_the_switch_is_used(client):
    body = client.get("/d/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert "人大代表名录" in body

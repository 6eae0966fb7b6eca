"""Every user-facing string is in the Chinese catalogue: one never extracted would show in English.

`make messages` extracts them; this runs the same extraction on a copy of the source and
fails on any msgid the committed catalogue lacks.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["liaison", "deputies", "petitions", "projects", "dashboard", "templates", "static/js", "manage.py"]
CATALOGUE = Path("locale/zh_Hans/LC_MESSAGES/django.po")


def _entries(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete and entry.msgid}


def _missing_from_catalogue(tree: Path) -> set[tuple[str | None, str]]:
    committed = _entries(polib.pofile(str(tree / CATALOGUE)))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "liaison.settings", "DEBUG": "true"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "-v0"],
        cwd=tree, env=env, check=True, capture_output=True,
    )
    return _entries(polib.pofile(str(tree / CATALOGUE))) - committed


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    return tmp_path


def test_every_user_facing_string_was_extracted_into_the_catalogue(source_copy):
    assert _missing_from_catalogue(source_copy) == set(), "run `make messages` and translate the new entries"


def test_a_string_never_extracted_is_caught(source_copy):
    (source_copy / "templates" / "new_page.html").write_text(
        '{% load i18n %}<p>{% translate "A sentence nobody extracted" %}</p>', encoding="utf-8"
    )
    assert _missing_from_catalogue(source_copy) == {(None, "A sentence nobody extracted")}

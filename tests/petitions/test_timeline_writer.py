"""One function writes every timeline event (petitions.services.concern_event_record)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_CREATES_EVENT = re.compile(r"ConcernEvent\.objects\.\w*create|(?<!class )ConcernEvent\(")


def test_only_the_event_writer_creates_timeline_events():
    writers = sorted(
        str(path.relative_to(ROOT))
        for app in ("liaison", "deputies", "petitions", "dashboard")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and _CREATES_EVENT.search(path.read_text(encoding="utf-8"))
    )
    assert writers == ["petitions/services.py"]


def test_the_writer_records_what_it_is_given(concern, official):
    from petitions.services import concern_event_record

    event = concern_event_record(concern=concern, kind="comment", role="official", actor=official, note="请尽快")
    assert (event.actor_role, event.actor, event.note, event.is_public) == ("official", official, "请尽快", False)

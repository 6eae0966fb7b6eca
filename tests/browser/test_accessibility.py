"""axe-core on the public pages and the login form, as a phone sees them.

Serious and critical findings fail the test; moderate and minor ones are left
to review. The failure message lists each rule, its impact, axe's help text
and the first offending element.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import DeputyFactory

BLOCKING = {"serious", "critical"}

_axe = Axe()


@pytest.fixture
def public_records(db):
    deputy = DeputyFactory(name="吴立新", post="白塔村党支部书记", biography="长期从事村务工作。\n热心为群众办实事。")
    DeputyFactory(site=deputy.site, village=deputy.village)
    return {"deputy": deputy, "site": deputy.site}


PAGES = {
    "portal": lambda records: "/",
    "directory": lambda records: "/d/",
    "deputy profile": lambda records: f"/d/{records['deputy'].code}/",
    "site page": lambda records: f"/s/{records['site'].code}/",
    "not found": lambda records: "/d/nosuch1/",
    "login": lambda records: "/accounts/login/",
}


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        target = violation["nodes"][0]["target"] if violation["nodes"] else "?"
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']}"
            f" — first at {target}, {len(violation['nodes'])} element(s)"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("page_name", PAGES)
def test_page_has_no_serious_accessibility_violations(phone, live_server, public_records, page_name):
    path = PAGES[page_name](public_records)
    response = phone.goto(live_server.url + path)
    assert response.status in (200, 404)

    results = _axe.run(phone)

    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    report = _describe(blocking)
    if blocking:
        print(f"axe on {path}:\n{report}")
    assert not blocking, f"axe found serious or critical violations on {path}:\n{report}"

"""The cockpit (dashboard/cockpit.py, /cockpit/): every figure against a hand-counted set of concerns, with
the edge cases that break such counts — a concern reopened, one merged, one rejected, one held for review,
an explained one against fixed ones, filings either side of a period's boundary in Asia/Shanghai time, and
a second township — and each figure's link listing exactly the records it counted."""

import datetime
import io
import zoneinfo
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from dashboard.cockpit import DEFAULT_PERIOD, Period, cockpit_data, last_year_of, period_of, previous_of
from liaison.public_pages import stamp_townships
from liaison.scoping import in_township
from petitions import workflow
from petitions.models import Concern
from petitions.selectors import concern_list
from petitions.services import concern_assign, concern_merge, concern_rate, concern_resolve, concern_transition
from tests.factories import CategoryFactory, ConcernFactory, TownshipFactory, UnitFactory, the_township

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
O = Concern.Outcome
SAT = Concern.Satisfaction
MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
MARCH_DATES = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _place(concern, filed, *, response=None, resolved=None, deadline=None, **fields):
    """Move a concern made today to the times the case needs (the services stamp `now`)."""
    fields.update(created_at=filed, first_response_at=response, resolved_at=resolved)
    if deadline is not None:
        fields["deadline_on"] = datetime.date.fromisoformat(deadline)
    Concern.objects.filter(pk=concern.pk).update(**fields)
    return concern


@pytest.fixture
def cases(db, official, handler, category, unit):
    """Township A's concerns, by name. In March 2026 (Shanghai), eight cases; around it, the traps."""
    other_category = CategoryFactory(name="道路交通", default_unit=unit, deadline_days=5)
    file = lambda category=category, channel="qr": ConcernFactory(category=category, channel=channel)  # noqa: E731

    def assign(concern, deadline=None):
        return concern_assign(concern=concern, unit=unit, deadline_on=deadline, actor=official,
                              role=workflow.OFFICIAL)

    def resolve(concern, outcome):
        return concern_resolve(concern=concern, result="已处理。", outcome=outcome, actor=handler,
                               role=workflow.HANDLER)

    c = {}
    c["fixed"] = resolve(assign(file()), O.FIXED)
    concern_rate(concern=c["fixed"], satisfaction=SAT.SATISFIED)
    _place(c["fixed"], at("2026-03-02"), response=at("2026-03-02", "12:00"), resolved=at("2026-03-05"),
           deadline="2026-03-10")

    c["explained"] = concern_resolve(concern=file(), result="已答复。", outcome=O.EXPLAINED, actor=official,
                                     role=workflow.OFFICIAL)
    concern_rate(concern=c["explained"], satisfaction=SAT.BASIC)
    _place(c["explained"], at("2026-03-03", "08:00"), response=at("2026-03-03", "09:00"),
           resolved=at("2026-03-03", "09:00"))

    c["reopened"] = resolve(assign(file()), O.NOT_FEASIBLE)
    concern_rate(concern=c["reopened"], satisfaction=SAT.UNSATISFIED)  # reopens it: in progress, no outcome
    _place(c["reopened"], at("2026-03-04", "08:00"), response=at("2026-03-04", "12:00"))

    c["merged"] = concern_merge(concern=file(), into=c["fixed"], actor=official, role=workflow.OFFICIAL)
    _place(c["merged"], at("2026-03-05", "09:00"), response=at("2026-03-06", "09:00"))

    c["rejected"] = concern_transition(concern=file(), action="reject", actor=official, role=workflow.OFFICIAL,
                                       note="不属于受理范围", result="不属于受理范围")
    _place(c["rejected"], at("2026-03-06", "09:00"), response=at("2026-03-06", "12:00"))

    c["overdue"] = assign(file(other_category, "walk_in"))
    _place(c["overdue"], at("2026-03-07", "09:00"), response=at("2026-03-07", "14:00"), deadline="2026-03-12")

    c["late"] = resolve(assign(file()), O.FIXED)  # awaiting its rating
    _place(c["late"], at("2026-03-08", "09:00"), response=at("2026-03-08", "15:00"), resolved=at("2026-03-15"),
           deadline="2026-03-10")

    c["held"] = _place(file(), at("2026-03-09"), status=Concern.Status.HELD)  # held for review: no case

    # The first minutes of March in Shanghai are still 28 February in UTC: March's, not February's.
    c["first_minute"] = _place(file(channel="phone"), at("2026-03-01", "00:30"))
    # And the first minutes of April are 31 March in UTC: April's, not March's.
    c["april"] = _place(file(), at("2026-04-01", "00:10"))
    # The period before (29 January – 28 February) and the same period a year before.
    c["february"] = resolve(assign(file()), O.FIXED)
    _place(c["february"], at("2026-02-10"), response=at("2026-02-10", "11:00"), resolved=at("2026-02-12"),
           deadline="2026-02-20")
    c["last_year"] = concern_resolve(concern=file(), result="已答复。", outcome=O.EXPLAINED, actor=official,
                                     role=workflow.OFFICIAL)
    _place(c["last_year"], at("2025-03-15"), response=at("2025-03-15", "11:00"), resolved=at("2025-03-15", "11:00"))

    return c


IN_MARCH = ["fixed", "explained", "reopened", "merged", "rejected", "overdue", "late", "first_minute"]
# What each figure of March counts, by hand: its value and the concerns its link must list.
EXPECTED = {
    "total": IN_MARCH,
    "open": ["reopened", "overdue", "first_minute"],
    "overdue": ["overdue"],
    "reopened": ["reopened"],
    "resolved": ["fixed", "explained", "merged", "rejected", "late"],
    "fixed": ["fixed", "late"],  # the explained one is not fixed
    "explained": ["explained"],
    "not_feasible": [],  # the reopened one lost its outcome
    "rejected": ["rejected"],
    "duplicate": ["merged"],
    "late": ["overdue", "late"],
    "satisfied": ["fixed"],
    "basic": ["explained"],
    "unsatisfied": ["reopened"],
}


def _figures(data: dict) -> dict:
    return {row["key"]: row for section in data["sections"] for row in section["rows"]}


def _march(site=None) -> dict:
    with in_township(the_township()):
        return cockpit_data(kind="custom", period=MARCH, site=site)


def test_every_figure_counts_what_was_counted_by_hand(cases):
    figures = _figures(_march())
    for key, names in EXPECTED.items():
        assert figures[key]["cells"][0]["value"] == len(names), key
    current = {key: row["cells"][0]["value"] for key, row in figures.items()}
    # Of the three resolved with a result time, two by their deadline (or without one); late: one resolved
    # after its deadline and one open past it.
    assert current["on_time_rate"] == 50.0
    assert current["satisfaction_rate"] == 66.7  # satisfied and basic, of three rated
    # First responses after 2, 1, 4, 24, 3, 5 and 6 hours (the first minute's is unanswered): median 4.
    assert current["median_first_response"] == 4.0
    # Results after 3 days, 1 hour and 7 days: median 3 days.
    assert current["median_result"] == 72.0


def test_the_period_before_and_the_year_before(cases):
    figures = _figures(_march())
    # 29 January – 28 February: February's fixed concern only (the first minute of March is not in it).
    assert [figures[k]["cells"][1]["value"] for k in ("total", "fixed", "explained", "open")] == [1, 1, 0, 0]
    # March 2025: last year's explained one.
    assert [figures[k]["cells"][2]["value"] for k in ("total", "fixed", "explained", "open")] == [1, 0, 1, 0]
    assert figures["total"]["cells"][1]["change"] == {"text": "+7 (+700%)", "direction": "up", "tone": "good"}
    # More overdue than in February: bad news, shown red.
    assert figures["overdue"]["cells"][1]["change"] == {"text": "+1", "direction": "up", "tone": "bad"}


def test_channels_trend_and_breakdowns(cases):
    data = _march()
    channels = {row["key"]: row["cells"][0]["value"] for row in data["channels"]}
    assert (channels["channel_qr"], channels["channel_walk_in"], channels["channel_phone"]) == (6, 1, 1)
    assert sum(channels.values()) == len(IN_MARCH)
    trend = {m["month"]: (m["received"], m["resolved"], m["fixed"]) for m in data["trend"]}
    assert list(trend)[0] == "2025-04" and list(trend)[-1] == "2026-03"  # twelve months up to the period's end
    assert trend["2026-03"] == (8, 5, 2) and trend["2026-02"] == (1, 1, 1) and trend["2026-01"] == (0, 0, 0)
    by_category = {row["name"]: (row["total"], row["open"], row["overdue"]) for row in data["breakdowns"][0]["rows"]}
    assert by_category == {"环境卫生": (7, 2, 0), "道路交通": (1, 1, 1)}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_figure_links_to_exactly_the_records_it_counted(cases, official, key):
    link = _figures(_march())[key]["cells"][0]["link"]
    params = dict(parse_qsl(urlsplit(link).query))
    assert urlsplit(link).path == "/desk/concerns/" and {k: params[k] for k in MARCH_DATES} == MARCH_DATES
    with in_township(the_township()):
        listed = {c.tracking for c in concern_list(user=official, filters=_filters(params))}
    assert listed == {cases[name].tracking for name in EXPECTED[key]}


def _filters(params: dict) -> dict:
    from petitions.forms.work import ConcernFilterForm

    with in_township(the_township()):
        return ConcernFilterForm(params).filters()


def test_the_desk_list_behind_a_figure_shows_its_rows_over_http(cases, client, official):
    client.force_login(official)
    page = client.get("/cockpit/", {"period": "custom", **MARCH_DATES}).content.decode()
    assert 'data-figure="reopened"' in page
    link = _figures(_march())["late"]["cells"][0]["link"]
    listed = client.get(link).content.decode()
    assert cases["overdue"].tracking in listed and cases["late"].tracking in listed
    assert cases["fixed"].tracking not in listed
    assert 'id="figure-filter"' in listed  # the page says it shows one figure's records


def test_a_second_township_sees_only_its_own(cases, client, official):
    other = TownshipFactory(name="下各镇", code="xiage")
    with in_township(other):
        unit = UnitFactory(township=other, name="下各村组")
        for _ in range(3):
            concern = ConcernFactory(category=CategoryFactory(township=other, default_unit=unit), deputy=None)
            _place(concern, at("2026-03-10"))
    assert _figures(_march())["total"]["cells"][0]["value"] == len(IN_MARCH)
    with in_township(other):
        assert _figures(cockpit_data(kind="custom", period=MARCH))["total"]["cells"][0]["value"] == 3


def test_the_export_holds_the_same_figures(cases, client, official):
    client.force_login(official)
    response = client.get("/cockpit/export.xlsx", {"period": "custom", **MARCH_DATES})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = [row[2:5] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    shown = [tuple(cell["value"] for cell in row["cells"]) for row in _figures(_march()).values()]
    assert sheet == shown and (5, 1, 1) in sheet  # resolved: March, February, March 2025


def test_periods():
    today = datetime.date(2026, 12, 3)
    month = period_of("month", today=today)
    assert (month, previous_of("month", month)) == (
        Period(datetime.date(2026, 12, 1), today), Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 3)))
    quarter = period_of("quarter", today=today)
    assert previous_of("quarter", quarter) == Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 2))
    year = period_of("year", today=today)
    assert previous_of("year", year) == Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 3))
    # 31 March against 28 February: the previous month is shorter.
    march = period_of("month", today=datetime.date(2026, 3, 31))
    assert previous_of("month", march) == Period(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert previous_of("custom", MARCH) == Period(datetime.date(2026, 1, 29), datetime.date(2026, 2, 28))
    leap = Period(datetime.date(2028, 2, 1), datetime.date(2028, 2, 29))
    assert last_year_of(leap) == Period(datetime.date(2027, 2, 1), datetime.date(2027, 2, 28))


def test_the_page_costs_the_same_queries_however_many_rows(client, db, official, category):
    client.force_login(official)
    counts = []
    for _ in range(2):
        for _ in range(5):
            ConcernFactory(category=category)
        cache.clear()
        client.get("/cockpit/")  # the session and the user's roles
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            assert client.get("/cockpit/").status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]


def test_figures_are_cached_and_the_page_says_since_when(client, official, category):
    client.force_login(official)
    ConcernFactory(category=category)
    client.get("/cockpit/")
    with CaptureQueriesContext(connection) as context:
        page = client.get("/cockpit/").content.decode()
    # The session, the user and their roles, the form's sites: no figure is counted again.
    assert not [q for q in context.captured_queries if "petitions_" in q["sql"] or "deputies_shift" in q["sql"]]
    assert 'id="cockpit-age"' in page


def test_the_page_is_drawn_once_from_each_count_of_its_figures(client, official, county_official, category):
    def drawn(response) -> bool:
        assert response.status_code == 200
        return "dashboard/partials/cockpit_body.html" in [template.name for template in response.templates]

    client.force_login(official)
    ConcernFactory(category=category)
    assert drawn(client.get("/cockpit/"))
    assert not drawn(again := client.get("/cockpit/")) and 'id="cockpit-sections"' in again.content.decode()
    assert drawn(client.get("/cockpit/", {"period": "year"}))  # another view: drawn from its own figures

    ConcernFactory(category=category)
    assert not drawn(client.get("/cockpit/"))  # its figures as counted before, until they are counted again
    kind = DEFAULT_PERIOD
    with in_township(the_township()):
        cockpit_data(kind=kind, period=period_of(kind, today=timezone.localdate()), fresh=True)
    assert drawn(again := client.get("/cockpit/"))

    client.force_login(county_official)  # the whole county: no one township's stamp, kept all the same
    assert drawn(client.get("/cockpit/")) and not drawn(client.get("/cockpit/"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting: the PostgreSQL tier")
def test_the_figures_are_read_without_parallel_workers(client, official, category):
    client.force_login(official)
    ConcernFactory(category=category)
    with CaptureQueriesContext(connection) as context:
        assert client.get("/cockpit/").status_code == 200
    sql = [q["sql"] for q in context.captured_queries]
    setting = sql.index("SET LOCAL max_parallel_workers_per_gather = 0")
    # Every sum of the running totals after it, in its transaction (a savepoint inside the test's own).
    end = next(n for n, text in enumerate(sql) if n > setting and text.startswith(("COMMIT", "RELEASE SAVEPOINT")))
    figures = [n for n, text in enumerate(sql) if "SUM(" in text and "petitions_concern" in text]
    assert figures and setting < min(figures) and max(figures) < end


def test_only_officials_and_staff(client, handler, official, staff):
    client.force_login(handler)
    assert client.get("/cockpit/").status_code == 403
    for user in (official, staff):
        client.force_login(user)
        assert client.get("/cockpit/").status_code == 200


def test_a_county_official_sees_the_townships_side_by_side(cases, client, county_official):
    from liaison.scoping import in_townships
    from tests.factories import SiteFactory

    xiage = TownshipFactory(name="下各镇", code="xiage")
    SiteFactory(township=xiage, name="第一片区联络点")
    with in_township(xiage):
        theirs = ConcernFactory(category=CategoryFactory(township=xiage, name="下各镇类别"), deputy=None)
    Concern.objects.filter(pk=theirs.pk).update(created_at=at("2026-03-05"), status=Concern.Status.CLOSED,
                                                outcome=Concern.Outcome.FIXED)
    client.force_login(county_official)
    page = client.get("/cockpit/", {"period": "custom", **MARCH_DATES}).content.decode()
    assert 'id="township-table"' in page and "下各镇" in page
    assert "下各镇 · 第一片区联络点" in page  # the county's sites say whose they are
    # The county's own running totals: both townships' concerns, each counted once.
    with in_townships([the_township(), xiage]):
        figures = _figures(cockpit_data(kind="custom", period=MARCH, roll_up=True))
    assert (figures["total"]["cells"][0]["value"], figures["fixed"]["cells"][0]["value"]) == (
        len(IN_MARCH) + 1, len(EXPECTED["fixed"]) + 1)


def test_suggestions_activities_and_receptions_link_to_what_they_counted(client, official, category):
    import re

    from deputies.activities import activity_record
    from petitions.models import Suggestion
    from petitions.receptions import reception_record
    from tests.factories import DeputyFactory, SiteFactory
    from tests.petitions.test_suggestions import _suggestion_in

    adopted, waiting, draft, a_year_before = (_suggestion_in(status)
                                              for status in ("answered", "submitted", "draft", "submitted"))
    Suggestion.objects.filter(pk__in=[adopted.pk, waiting.pk]).update(submitted_at=at("2026-03-10"))
    Suggestion.objects.filter(pk=a_year_before.pk).update(submitted_at=at("2025-03-10"))
    deputy = DeputyFactory()
    with in_township(the_township()):
        for day in ("2026-02-20", "2026-03-05", "2026-03-31", "2026-04-01"):
            activity_record(kind="group_activity", held_on=datetime.date.fromisoformat(day), title=f"{day}活动",
                            deputies=[deputy])
    here, there = SiteFactory(), SiteFactory()
    with in_township(the_township()):
        for n, (site, day) in enumerate(((here, "2026-03-02"), (here, "2026-03-30"), (there, "2026-03-03"),
                                         (here, "2026-04-01"), (here, "2025-03-15"), (there, "2025-03-16"))):
            reception_record(received_on=datetime.date.fromisoformat(day), site=site, deputies=[],
                             mobile=f"1390000000{n}", name="来访人", village=None, visitor_count=1, matters="咨询政策", answer="",
                             satisfaction="satisfied", recorded_by=official, new_concerns=[])
    client.force_login(official)
    with in_township(the_township()):
        figures = _figures(cockpit_data(kind="custom", period=MARCH, site=here))
    # Each figure's value, and what its link lists: suggestions and activities by their pages' links,
    # receptions by their rows (of the chosen site).
    expected = {
        "suggestions_made": ({adopted.pk, waiting.pk}, r'href="/desk/suggestions/(\d+)/"'),
        "suggestions_answered": ({adopted.pk}, r'href="/desk/suggestions/(\d+)/"'),
        "suggestions_adopted": ({adopted.pk}, r'href="/desk/suggestions/(\d+)/"'),
        "activities_total": ({"2026-03-05活动", "2026-03-31活动"}, r">(2026-\d\d-\d\d活动)<"),
        "receptions": (2, r'id="reception-(\d+)"'),
    }
    for key, (records, pattern) in expected.items():
        cell = figures[key]["cells"][0]
        count = records if isinstance(records, int) else len(records)
        assert cell["value"] == count, key
        listed = set(re.findall(pattern, client.get(cell["link"]).content.decode()))
        if isinstance(records, int):
            assert len(listed) == records, key
        else:
            assert {int(x) if x.isdigit() else x for x in listed} == records, key
    assert draft.pk not in expected["suggestions_made"][0]
    # The period before (29 January – 28 February) and March 2025, counted in the same queries as March.
    assert {key: [cell["value"] for cell in figures[key]["cells"][1:]]
            for key in ("suggestions_made", "activities_total", "receptions")} == {
        "suggestions_made": [0, 1], "activities_total": [1, 0], "receptions": [0, 1]}


def test_beat_keeps_the_preset_views_computed(client, official, county_official, category):
    from dashboard.tasks import warm_cockpits

    ConcernFactory(category=category)
    TownshipFactory(name="下各镇", code="xiage")
    assert warm_cockpits() == 9  # month, quarter and year of two townships, and of the county rolled up
    for user in (official, county_official):
        client.force_login(user)
        for period in ("month", "quarter", "year"):
            with CaptureQueriesContext(connection) as context:
                page = client.get("/cockpit/", {"period": period}).content.decode()
            assert not [q for q in context.captured_queries if "petitions_concern" in q["sql"]], (user, period)
            assert 'id="cockpit-age"' in page
    # Recomputed, not read back: a concern filed since is counted at the next run.
    ConcernFactory(category=category)
    warm_cockpits()
    client.force_login(official)
    page = client.get("/cockpit/").content.decode()
    assert 'data-figure="total"' in page
    figures = _figures(_in_default_view())
    assert figures["total"]["cells"][0]["value"] == 2


def _in_default_view() -> dict:
    with in_township(the_township()):
        return cockpit_data(kind="year", period=period_of("year", today=timezone.localdate()))


@pytest.mark.django_db(transaction=True)
def test_beat_counts_again_only_the_views_a_change_reached(category):
    # Committed writes, as in production: a township's stamp moves only when a change is committed.
    from dashboard.tasks import warm_cockpits

    with in_township(the_township()):
        ConcernFactory(category=category)
    other = TownshipFactory(name="下各镇", code="xiage")
    stamp_townships()
    assert warm_cockpits() == 9  # month, quarter and year of two townships, and of the county rolled up
    assert warm_cockpits() == 0  # nothing changed: each view kept as counted

    with in_township(other):
        CategoryFactory(township=other, name="下各镇类别")
    # The other township's views and the county's counted again; the first township's kept.
    assert warm_cockpits() == 6
    with in_township(the_township()):
        ConcernFactory(category=category)
    assert warm_cockpits() == 6
    assert _figures(_in_default_view())["total"]["cells"][0]["value"] == 2
    cache.clear()  # a view the cache lost is counted again, though nothing changed
    assert warm_cockpits() == 9

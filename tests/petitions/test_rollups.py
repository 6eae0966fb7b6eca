"""The cockpit's running totals (petitions.rollups): summed, they give what a count of the concerns gives, over
any dates, whole months or not, a site or all; they follow every change the services make; a write committed
a little after it was stamped is not missed; one township's totals never hold another's."""

import datetime
import random
import statistics
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from liaison.scoping import in_township
from petitions import rollups, workflow
from petitions.figures import BREAKDOWN_ROWS, concern_breakdowns, concern_figures, concern_figures_each, concern_trend
from petitions.models import Concern, ConcernDay, RollupMark
from petitions.rollup_models import COUNTED
from petitions.selectors import concern_counts
from petitions.services import concern_assign, concern_comment, concern_resolve
from tests.factories import (
    CategoryFactory,
    ConcernFactory,
    SiteFactory,
    TownshipFactory,
    UnitFactory,
    VillageFactory,
    the_township,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
S, O, SAT = Concern.Status, Concern.Outcome, Concern.Satisfaction
LIVE_KEYS = [k for k in COUNTED if k != "late_resolved"] + ["overdue", "late"]


def _scatter(count: int, seed: int = 7) -> list[Concern]:
    """Concerns filed at random moments of February to April 2026 (Shanghai), in every state, at two sites
    and none, with deadlines either side of their results, some filed in the last minutes of a day."""
    rng = random.Random(seed)
    sites = [SiteFactory(), SiteFactory(), None]
    categories = [CategoryFactory(name=f"类别{i}") for i in range(3)]
    villages = [VillageFactory(), VillageFactory(), None]
    units = [UnitFactory(name=f"单位{i}") for i in range(2)] + [None]
    made = []
    for _ in range(count):
        filed = datetime.datetime(2026, 2, 1, tzinfo=SHANGHAI) + datetime.timedelta(
            minutes=rng.randrange(89 * 24 * 60))
        status = rng.choice([S.SUBMITTED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED, S.REJECTED, S.HELD])
        ended = status in (S.RESOLVED, S.CLOSED, S.REJECTED)
        outcome = {S.REJECTED: O.REJECTED}.get(status, rng.choice([O.FIXED, O.EXPLAINED, O.NOT_FEASIBLE]))
        concern = ConcernFactory(category=rng.choice(categories), channel=rng.choice(Concern.Channel.values))
        Concern.objects.filter(pk=concern.pk).update(
            created_at=filed, status=status, site=rng.choice(sites), village=rng.choice(villages),
            unit=rng.choice(units), outcome=outcome if ended else "",
            satisfaction=rng.choice([SAT.SATISFIED, SAT.BASIC, ""]) if status == S.CLOSED else "",
            deadline_on=(filed + datetime.timedelta(days=rng.randrange(1, 20))).date(),
            first_response_at=filed + datetime.timedelta(hours=rng.randrange(1, 60)) if rng.random() < .8 else None,
            resolved_at=filed + datetime.timedelta(hours=rng.randrange(2, 600)) if ended else None,
        )
        made.append(concern)
    return made


def _exact_median(since, until, site, end: str):
    concerns = Concern.objects.exclude(status__in=Concern.NOT_CASES).filter(
        created_at__gte=datetime.datetime.combine(since, datetime.time(), SHANGHAI),
        created_at__lt=datetime.datetime.combine(until, datetime.time(), SHANGHAI), **{f"{end}__isnull": False})
    if site is not None:
        concerns = concerns.filter(site=site)
    hours = [(getattr(c, end) - c.created_at).total_seconds() / 3600 for c in concerns]
    return statistics.median(hours) if hours else None


RANGES = [  # whole months; edges in the middle of months; one day; within one month; the last day of a month
    (datetime.date(2026, 2, 1), datetime.date(2026, 5, 1)),
    (datetime.date(2026, 2, 10), datetime.date(2026, 4, 6)),
    (datetime.date(2026, 3, 15), datetime.date(2026, 3, 16)),
    (datetime.date(2026, 3, 3), datetime.date(2026, 3, 29)),
    (datetime.date(2026, 3, 31), datetime.date(2026, 4, 1)),
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 21)),  # two whole spans of ten, no day rows
    (datetime.date(2026, 2, 19), datetime.date(2026, 4, 23)),  # days, spans of ten and a month
    (datetime.date(2026, 1, 1), datetime.date(2026, 4, 1)),  # a whole quarter, no other rows
    (datetime.date(2026, 1, 15), datetime.date(2026, 4, 23)),  # days, spans of ten, a quarter
    (datetime.date(2025, 12, 20), datetime.date(2026, 7, 3)),  # days, a span of ten, two quarters
    (datetime.date(2026, 2, 19), datetime.date(2026, 7, 1)),  # days, a span of ten, a month, a quarter
]


@pytest.mark.django_db
def test_the_running_totals_sum_to_what_a_count_of_the_concerns_gives():
    township = the_township()
    with in_township(township):
        _scatter(160)
        rollups.catch_up()
        sites = [None, *{c.site for c in Concern.objects.exclude(site=None)}]
        for since, until in RANGES:
            for site in sites:
                counted = concern_figures(since=since, until=until, site=site)
                live = concern_counts(since=since, until=until, site=site, channels=True)
                assert {k: counted[k] for k in LIVE_KEYS} == {k: live[k] for k in LIVE_KEYS}, (since, until, site)
                for key, end in (("median_first_response", "first_response_at"), ("median_result", "resolved_at")):
                    exact = _exact_median(since, until, site, end)
                    if exact is None:
                        assert counted[key] is None
                        continue
                    # Read from buckets: an hour wide under a day, two under two days, a day beyond.
                    tolerance = 1 if exact < 24 else 2 if exact < 48 else 24
                    assert abs(counted[key].total_seconds() / 3600 - exact) <= tolerance, (since, until, site, key)
            # Breakdowns: each group as counted from the concerns (the ten largest; the rule breaks ties by name).
            for by in ("category", "village", "deputy", "unit"):
                rows = concern_breakdowns(since=since, until=until)[by]
                every_group = Concern.objects.exclude(status__in=Concern.NOT_CASES).filter(
                    created_at__gte=datetime.datetime.combine(since, datetime.time(), SHANGHAI),
                    created_at__lt=datetime.datetime.combine(until, datetime.time(), SHANGHAI),
                ).values(by).annotate(n=Count("pk")).values_list("n", flat=True)
                largest = sorted(every_group, reverse=True)[:BREAKDOWN_ROWS]
                assert [row["total"] for row in rows] == largest, (by, since, until)
                for row in rows:
                    cases = Concern.objects.exclude(status__in=Concern.NOT_CASES).filter(
                        created_at__gte=datetime.datetime.combine(since, datetime.time(), SHANGHAI),
                        created_at__lt=datetime.datetime.combine(until, datetime.time(), SHANGHAI),
                        **{f"{by}_id": row["id"]} if row["id"] else {f"{by}__isnull": True})
                    assert row["total"] == cases.count(), (by, row)
                    assert row["open"] == cases.filter(status__in=Concern.OPEN_STATUSES).count()
                    assert row["fixed"] == cases.filter(outcome=O.FIXED).count()
                    assert row["overdue"] == cases.filter(status__in=Concern.OPEN_STATUSES,
                                                          deadline_on__lt=timezone.localdate()).count()
            # A single site's breakdowns, counted from its concerns.
            for site in sites[1:]:
                rows = concern_breakdowns(since=since, until=until, site=site)["category"]
                for row in rows:
                    cases = Concern.objects.exclude(status__in=Concern.NOT_CASES).filter(
                        created_at__gte=datetime.datetime.combine(since, datetime.time(), SHANGHAI),
                        created_at__lt=datetime.datetime.combine(until, datetime.time(), SHANGHAI),
                        site=site, category_id=row["id"])
                    assert (row["total"], row["overdue"]) == (cases.count(), cases.filter(
                        status__in=Concern.OPEN_STATUSES, deadline_on__lt=timezone.localdate()).count())
        # All the periods at once (as the cockpit asks for three): each as when asked alone.
        for site in sites:
            assert concern_figures_each(RANGES, site=site) == [
                concern_figures(since=since, until=until, site=site) for since, until in RANGES]
        trend = concern_trend(since=datetime.date(2026, 1, 1), until=datetime.date(2026, 5, 1))
        assert [m["received"] for m in trend] == [
            concern_counts(since=m["month"], until=m["until"])["total"] for m in trend]
        assert sum(m["received"] for m in trend) > 100


@pytest.mark.django_db
def test_a_catch_up_counts_what_the_services_changed(official, handler, category, unit):
    day = timezone.localdate()
    with in_township(the_township()):
        concern = ConcernFactory(category=category)
        rollups.catch_up()
        today = {"since": day, "until": day + datetime.timedelta(days=1)}
        assert concern_figures(**today)["open"] == 1
        assert concern_figures(**today)["responded"] == 0
        concern_assign(concern=concern, unit=unit, actor=official, role=workflow.OFFICIAL)
        concern_comment(concern=concern, actor=handler, role=workflow.HANDLER, note="已到现场。", is_public=True)
        rollups.catch_up()
        assert concern_figures(**today)["responded"] == 1
        concern_resolve(concern=concern, result="已修好。", outcome=O.FIXED, actor=handler, role=workflow.HANDLER)
        assert concern_figures(**today)["fixed"] == 0  # not yet caught up
        assert rollups.catch_up() == 1  # one day recounted
        figures = concern_figures(**today)
        assert (figures["open"], figures["fixed"], figures["resolved_awaiting_rating"]) == (0, 1, 1)
        assert rollups.catch_up() == 1  # still within the margin: recounted again, harmless
        RollupMark.objects.update(counted_until=timezone.now() + rollups.MARGIN)
        assert rollups.catch_up() == 0  # nothing changed since


@pytest.mark.django_db
def test_a_write_committed_after_the_mark_moved_past_its_stamp_is_still_counted(category):
    with in_township(the_township()):
        concern = ConcernFactory(category=category)
        rollups.catch_up()
        # A save stamped five minutes ago whose transaction committed only now, after a catch-up moved the mark.
        RollupMark.objects.update(counted_until=timezone.now())
        Concern.objects.filter(pk=concern.pk).update(
            status=S.REJECTED, outcome=O.REJECTED, updated_at=timezone.now() - datetime.timedelta(minutes=5))
        rollups.catch_up()
        day = timezone.localdate()
        assert concern_figures(since=day, until=day + datetime.timedelta(days=1))["rejected"] == 1


@pytest.mark.django_db
def test_each_township_keeps_its_own_totals_and_a_rebuild_counts_everything_again(category):
    a, b = the_township(), TownshipFactory()
    with in_township(b):
        unit = UnitFactory(township=b)
        ConcernFactory(category=CategoryFactory(township=b, default_unit=unit), deputy=None)
    with in_township(a):
        ConcernFactory(category=category)
        ConcernFactory(category=category)
        rollups.catch_up()
        assert set(ConcernDay.objects.values_list("township_id", flat=True)) == {a.pk}
        day = timezone.localdate()
        assert concern_figures(since=day, until=day + datetime.timedelta(days=1))["total"] == 2
        # Written around the services, and stamped long ago: no catch-up sees it, a rebuild does.
        Concern.objects.filter(township=a).update(status=S.CLOSED, outcome=O.FIXED, satisfaction=SAT.SATISFIED,
                                                  updated_at=timezone.now() - datetime.timedelta(days=30))
        rollups.catch_up()
        assert concern_figures(since=day, until=day + datetime.timedelta(days=1))["satisfied"] == 0
    call_command("rebuild_figures", stdout=open("/dev/null", "w"))
    with in_township(a):
        assert concern_figures(since=day, until=day + datetime.timedelta(days=1))["satisfied"] == 2
    with in_township(b):
        assert concern_figures(since=day, until=day + datetime.timedelta(days=1))["total"] == 1


@pytest.mark.django_db
def test_beat_counts_and_a_request_recounts_only_what_beat_left_stale(category):
    from petitions.tasks import count_figures

    day = timezone.localdate()
    today = {"since": day, "until": day + datetime.timedelta(days=1)}
    with in_township(the_township()):
        ConcernFactory(category=category)
    assert count_figures() == 1
    with in_township(the_township()):
        ConcernFactory(category=category)
        fresh = datetime.timedelta(seconds=60)
        assert rollups.catch_up(older_than=fresh) == 0  # counted under a minute ago: left to beat
        assert concern_figures(**today)["total"] == 1
        RollupMark.objects.update(counted_until=timezone.now() - fresh)  # beat stopped a minute ago
        assert rollups.catch_up(older_than=fresh) == 1
        assert concern_figures(**today)["total"] == 2
        assert rollups.counted_at() >= timezone.now() - datetime.timedelta(seconds=5)


@pytest.mark.django_db
def test_a_quiet_hour_still_moves_the_mark_so_the_cockpit_leaves_the_counting_to_beat(category):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with in_township(the_township()):
        ConcernFactory(category=category)
        rollups.catch_up()
        start = timezone.now()
        with time_machine.travel(start + datetime.timedelta(hours=1)):
            rollups.catch_up()
        with time_machine.travel(start + datetime.timedelta(hours=2)):
            assert rollups.catch_up() == 0  # nothing changed in the hour
            assert rollups.counted_at() >= timezone.now() - datetime.timedelta(seconds=5)
            with CaptureQueriesContext(connection) as queries:
                rollups.catch_up(older_than=datetime.timedelta(seconds=60))
            # The townships' marks read, and whether the county's rows were ever counted: nothing recounted.
            assert len(queries.captured_queries) == 2


@pytest.mark.django_db
def test_a_breakdown_shows_the_largest_groups_when_there_are_more_than_it_has_rows_for(category):
    with in_township(the_township()):
        villages = [VillageFactory() for _ in range(BREAKDOWN_ROWS + 2)]
        for n, village in enumerate(villages):
            ConcernFactory.create_batch(n + 1, category=category, village=village)
        rollups.catch_up()
        today = timezone.localdate()
        for since, until in ((today, today + datetime.timedelta(days=1)),  # from the day rows
                             (today.replace(day=1), rollups.next_month(today))):  # from the month rows
            rows = concern_breakdowns(since=since, until=until)["village"]
            assert [row["total"] for row in rows] == list(range(BREAKDOWN_ROWS + 2, 2, -1))
            assert [row["name"] for row in rows] == [village.name for village in villages[::-1][:BREAKDOWN_ROWS]]


@pytest.mark.django_db
def test_the_reception_totals_sum_to_a_count_of_the_receptions_and_follow_each_new_one(official):
    from petitions.figures import reception_figures, reception_figures_each
    from petitions.models import Reception
    from petitions.receptions import reception_record

    rng = random.Random(3)
    with in_township(the_township()):
        sites = [SiteFactory(), SiteFactory()]

        def record(on: datetime.date, site) -> None:
            reception_record(received_on=on, site=site, deputies=[], mobile=f"138{rng.randrange(10**8):08d}",
                             name="王", village=None, visitor_count=rng.randrange(1, 5), matters=f"咨询{rng.random()}",
                             answer="", satisfaction="", recorded_by=official)

        for _ in range(60):
            record(datetime.date(2026, 2, 1) + datetime.timedelta(days=rng.randrange(89)), rng.choice(sites))
        rollups.catch_up()
        record(datetime.date(2026, 3, 31), sites[0])  # after the catch-up: the next one counts it
        rollups.catch_up()
        for since, until in RANGES:
            for site in (None, *sites):
                live = Reception.objects.filter(received_on__gte=since, received_on__lt=until,
                                                **({"site": site} if site else {}))
                assert reception_figures(since=since, until=until, site=site) == {
                    "receptions": live.count(), "visitors": sum(live.values_list("visitor_count", flat=True))
                }, (since, until, site)
        assert reception_figures(since=datetime.date(2026, 2, 1), until=datetime.date(2026, 5, 1))["receptions"] == 61
        for site in (None, *sites):
            assert reception_figures_each(RANGES, site=site) == [
                reception_figures(since=since, until=until, site=site) for since, until in RANGES]


@pytest.mark.django_db
def test_the_oldest_overdue_are_the_ten_longest_overdue_in_order(category):
    from petitions.figures import OLDEST_OVERDUE, concern_overdue_oldest

    today = timezone.localdate()
    with in_township(the_township()):
        made = ConcernFactory.create_batch(OLDEST_OVERDUE + 4, category=category)
        for n, concern in enumerate(made[:-1]):
            Concern.objects.filter(pk=concern.pk).update(
                status=S.ASSIGNED, deadline_on=today - datetime.timedelta(days=1 + (n * 7) % 13))
        Concern.objects.filter(pk=made[-1].pk).update(status=S.ASSIGNED, deadline_on=today)  # due today: not yet
        oldest = concern_overdue_oldest()
        expected = sorted(Concern.objects.filter(deadline_on__lt=today), key=lambda c: (c.deadline_on, c.created_at))
        assert [c.pk for c in oldest] == [c.pk for c in expected[:OLDEST_OVERDUE]]


@pytest.mark.django_db
def test_the_county_rows_sum_every_township_and_follow_a_catch_up_in_one_of_them():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaison.scoping import county_wide, covers_county, in_townships
    from petitions.models import CountyConcernDay, CountyRollupMark

    a, b = the_township(), TownshipFactory()
    with in_township(a):
        made = _scatter(120, seed=11)
    # Half of them filed in the second township (their sites, villages and units are the first's: only counted).
    moved = [concern.pk for concern in made[::2]]
    Concern.objects.filter(pk__in=moved).update(township=b, site=None)
    for township in (a, b):
        with in_township(township):
            rollups.catch_up()

    def compare() -> None:
        for township in (a, b):  # each township's own rows, whole or recounted in part
            with in_township(township):
                for since, until in RANGES:
                    counted = concern_figures(since=since, until=until)
                    live = concern_counts(since=since, until=until, channels=True)
                    assert {k: counted[k] for k in LIVE_KEYS} == {k: live[k] for k in LIVE_KEYS}, (township, since)
        with in_townships([a, b]):
            assert covers_county()
            for since, until in RANGES:
                with CaptureQueriesContext(connection) as queries:
                    counted = concern_figures(since=since, until=until)
                assert "petitions_countyconcern" in " ".join(q["sql"] for q in queries.captured_queries)
                live = concern_counts(since=since, until=until, channels=True)
                assert {k: counted[k] for k in LIVE_KEYS} == {k: live[k] for k in LIVE_KEYS}, (since, until)
                exact = _exact_median(since, until, None, "resolved_at")
                if exact is not None:
                    assert abs(counted["median_result"].total_seconds() / 3600 - exact) <= 24

    compare()
    with in_township(a):
        assert not covers_county()
    # The second township's change, caught up in its scope alone, reaches the county's rows.
    Concern.objects.filter(pk__in=moved, status__in=Concern.OPEN_STATUSES).update(
        status=S.REJECTED, outcome=O.REJECTED, updated_at=timezone.now())
    with in_township(b):
        rollups.catch_up()
    compare()
    # Counted from nothing (after migrating to them, a rebuild, a new township): every day of the county again.
    CountyConcernDay.objects.all().delete()
    with in_township(a):
        rollups.forget()
        rollups.catch_up()
    compare()
    # Never counted though every township is (the old code counted them between the migration and the
    # restart): the next catch-up counts the county whole, with nothing changed in any township.
    CountyConcernDay.objects.all().delete()
    CountyRollupMark.objects.all().delete()
    with county_wide():
        rollups.catch_up()
    compare()


@pytest.mark.django_db
def test_a_catch_up_that_fails_in_one_township_leaves_the_county_rows_in_step(monkeypatch):
    from liaison.scoping import county_wide, in_townships, townships_in_scope

    a, b = the_township(), TownshipFactory()
    with in_township(a):
        made = _scatter(40, seed=5)
    Concern.objects.filter(pk__in=[concern.pk for concern in made[::2]]).update(township=b, site=None)
    with county_wide():
        rollups.catch_up()
    # Both townships change; the second's recount fails (a deadlock, a bug) after the first's committed, at two
    # catch-ups in a row: by the third, the first township's changes are behind its mark and its margin.
    start = timezone.now()
    Concern.objects.filter(status__in=Concern.OPEN_STATUSES).update(
        status=S.REJECTED, outcome=O.REJECTED, updated_at=start)
    recount = rollups._recount

    with county_wide():
        second = townships_in_scope()[-1]

    def failing(township_id, days):
        if township_id == second:
            raise RuntimeError("killed")
        return recount(township_id, days)

    monkeypatch.setattr(rollups, "_recount", failing)
    for minutes in (1, 25):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)), county_wide():
            with pytest.raises(RuntimeError):
                rollups.catch_up()
    monkeypatch.setattr(rollups, "_recount", recount)
    with time_machine.travel(start + datetime.timedelta(minutes=50)), county_wide():
        rollups.catch_up()  # only the second township's days now
    since, until = datetime.date(2026, 2, 1), datetime.date(2026, 5, 1)
    with in_townships([a, b]):
        counted, live = concern_figures(since=since, until=until), concern_counts(since=since, until=until)
        assert counted["rejected"] == live["rejected"] > 20
        assert (counted["total"], counted["open"]) == (live["total"], 0)

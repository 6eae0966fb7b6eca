"""bench/cockpit.py's data: a county's concerns with their timelines, receptions, activities, duty and
suggestions, loaded with generate_series SQL (the small tables through the ORM).

Every row belongs to a township and points at its own township's rows. Concern i goes to township
(i - 1) mod N, so each township has concerns of every age; the times run from SPAN_START to now, in
order of i (and of id), as a year of filings would. What happened to a concern is drawn first into
the unlogged table bench_timeline (when it was accepted, assigned, started, resolved, rated, reopened,
closed, each NULL when it did not happen); its row's status and dates are what that timeline says at
now(), and its events are that timeline's moves up to now, so the figures of any period agree.
"""

import datetime
import time

from bench.seeding import (
    CHANNELS, DEPUTIES_PER_TOWNSHIP, DETAILS, ISSUES, PLACES, REQUESTS, SURNAMES, TRACKING_FUNCTION, id_range, pick,
)

STATION_TIME = "Asia/Shanghai"
SITES_PER_TOWNSHIP = 6  # the station, then a liaison point for each of the five areas
# Paths a concern takes: rejected at once, merged into an earlier one, answered directly by the station
# (no unit), or forwarded to a unit; each with its share.
PATHS = (("rejected", 0.05), ("merged", 0.04), ("answered", 0.05), ("assigned", 0.86))
OUTCOMES = (("fixed", 0.68), ("explained", 0.22), ("not_feasible", 0.10))
KINDS = [  # Activity.Kind, with a title for each
    ("group_activity", "代表小组集中活动"), ("contacting_voters", "走访联系选民"), ("study_training", "代表履职能力培训"),
    ("inspection", "视察调研"), ("enterprise_visit", "走访企业"), ("duty_reception", "代表进站接待选民"),
    ("report_to_voters", "代表向选民述职"),
]
ANSWER_CATEGORIES = [  # code, label, counts as adopted, needs follow-up, share of answers
    ("A", "已解决或已采纳", True, False, 0.4), ("B", "列入计划逐步解决", True, True, 0.3),
    ("C", "留作参考", False, True, 0.2), ("D", "因条件限制不能解决", False, False, 0.1),
]
SUGGESTIONS_PER_YEAR = 60  # a township's, a little above Baita's 36 adopted in half a year


def span_start(today: datetime.date) -> datetime.datetime:
    """The first filing: a year and a half back, and at least from January 1 of last year, so this year,
    last year (a "previous period" of a year) and the same part of last year are all full."""
    from django.utils import timezone

    first = min(today - datetime.timedelta(days=548), datetime.date(today.year - 1, 1, 1))
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))


def _cases(rows: tuple, r: str = "r") -> str:
    """A CASE over the column r (uniform in [0, 1)) giving each value with its share."""
    edge, whens = 0.0, []
    for value, share in rows[:-1]:
        edge += share
        whens.append(f"WHEN {r} < {edge:.4f} THEN '{value}'")
    return f"CASE {' '.join(whens)} ELSE '{rows[-1][0]}' END"


def _timed(label: str, cursor, sql: str, params: dict | None = None) -> None:
    started = time.perf_counter()
    cursor.execute(sql, params)
    count = f"{cursor.rowcount:,} " if cursor.rowcount and cursor.rowcount > 0 else ""
    print(f"{count}{label} in {time.perf_counter() - started:.1f} s", flush=True)


def sites_and_setup(townships: list) -> list[int]:
    """Each township's liaison points, duty rules and answer categories (the ORM: a few rows each); returns
    every site's id, SITES_PER_TOWNSHIP a township, the station first."""
    from django.utils import timezone

    from liaison.scoping import in_township

    today = timezone.localdate()
    site_ids = []
    for k, township in enumerate(townships):
        with in_township(township):
            site_ids += _township_setup(township, k, today)
    assert len(site_ids) == SITES_PER_TOWNSHIP * len(townships)
    return site_ids


def _township_setup(township, k: int, today: datetime.date) -> list[int]:
    from deputies.models import Area, DutyRule, Site
    from petitions.models import AnswerCategory

    station = Site.objects.get(kind=Site.Kind.STATION)
    points = Site.objects.bulk_create([
        Site(township=township, kind=Site.Kind.POINT, name=f"{area.name}联络点", area=area, code=f"benchpt{k}x{n}")
        for n, area in enumerate(Area.objects.order_by("position"))])
    # The station sits on the 7th and 21st (DESIGN §2); the points weekly, on today's weekday, so the
    # screen shows deputies on duty today (its fuller path).
    DutyRule.objects.bulk_create([
        DutyRule(township=township, site=station, days_of_month="7,21", deputies_per_day=3),
        *(DutyRule(township=township, site=point, weekdays=str(today.isoweekday()), deputies_per_day=2)
          for point in points)])
    AnswerCategory.objects.bulk_create([
        AnswerCategory(township=township, code=code, label=label, is_adopted=adopted, needs_follow_up=follow, order=n)
        for n, (code, label, adopted, follow, _share) in enumerate(ANSWER_CATEGORIES)])
    return [station.pk, *(point.pk for point in points)]


def concerns_load(cursor, n: int, townships: list, site_ids: list[int], start: datetime.datetime,
                  first_id: int = 1) -> None:
    """n concerns with their timelines; concern i has id i, from first_id on (above every id in the table:
    the concerns seed_demo made stay, and these come after them)."""
    t = len(townships)
    cursor.execute("SELECT coalesce(max(id), 0) FROM petitions_concern")
    assert cursor.fetchone()[0] < first_id, "concerns are loaded above the ids already taken"
    cursor.execute(TRACKING_FUNCTION)
    _timed("concerns' timelines drawn", cursor, f"""
        CREATE UNLOGGED TABLE bench_timeline AS
        WITH drawn AS (
            SELECT i, (i - %(first)s) %% %(t)s AS k,
                   %(start)s + (now() - %(start)s) * ((i - %(first)s + random()) / %(n)s) AS filed,
                   random() AS r, random() AS r_wait, random() AS r_assign, random() AS r_start,
                   random() AS r_fix, random() AS r_rate, random() AS r_level, random() AS r_again,
                   random() AS r_outcome
            FROM generate_series(%(first)s, %(first)s + %(n)s - 1) AS i
        ), accepted AS (
            -- The first response (accepted, or rejected or merged at once) comes some hours after filing.
            SELECT *, {_cases(PATHS)} AS path, filed + (1 + 30 * r_wait * r_wait) * interval '1 hour' AS accepted
            FROM drawn
        ), assigned AS (
            SELECT *, CASE WHEN path = 'assigned' THEN accepted + (0.5 + 20 * r_assign) * interval '1 hour' END
                      AS assigned
            FROM accepted
        ), started AS (
            -- Under half the handlers press "start work"; the others resolve straight from assigned.
            SELECT *, CASE WHEN r_start < 0.45 THEN assigned + (2 + 100 * r_start) * interval '1 hour' END AS started
            FROM assigned
        ), resolved AS (
            -- One in 25 drags on for months: the overdue ones.
            SELECT *, CASE path
                WHEN 'answered' THEN accepted + (0.5 + 2.5 * r_fix) * interval '1 day'
                WHEN 'assigned' THEN coalesce(started, assigned) + CASE WHEN r_fix < 0.04
                    THEN (20 + 2500 * r_fix) * interval '1 day' ELSE (0.3 + 12 * r_fix * r_fix) * interval '1 day' END
                END AS resolved
            FROM started
        ), rated AS (
            -- Six in ten rate the result within days; one rating in fourteen is "not satisfied" and reopens it.
            SELECT *, CASE WHEN r_rate < 0.62 THEN resolved + (2 + 190 * r_rate) * interval '1 hour' END AS rated,
                   CASE WHEN r_level < 0.07 THEN 'unsatisfied' WHEN r_level < 0.30 THEN 'basic' ELSE 'satisfied' END
                   AS level
            FROM resolved
        ), again AS (
            SELECT *, CASE WHEN level = 'unsatisfied' THEN rated + (1 + 9 * r_again) * interval '1 day' END
                      AS resolved_again
            FROM rated
        ), ended AS (
            SELECT *, CASE WHEN r_again < 0.7 THEN resolved_again + (3 + 90 * r_again) * interval '1 hour' END
                      AS rated_again,
                   CASE WHEN r_again < 0.2 THEN 'basic' ELSE 'satisfied' END AS level_again
            FROM again
        )
        SELECT i, k, path, filed, accepted, assigned, started, resolved, rated, rated IS NOT NULL AS is_rated, level,
               resolved_again, rated_again, level_again, r_outcome,
               -- Unrated results close by themselves a week on (the sweep).
               CASE WHEN resolved_again IS NOT NULL THEN coalesce(rated_again, resolved_again + interval '7 days')
                    WHEN rated IS NOT NULL AND level IN ('satisfied', 'basic') THEN rated
                    ELSE resolved + interval '7 days' END AS closed
        FROM ended""", {"t": t, "n": n, "start": start, "first": first_id})
    cursor.execute("ALTER TABLE bench_timeline ADD COLUMN status text")
    _timed("statuses at now() set", cursor, """
        UPDATE bench_timeline SET status = CASE
            WHEN now() < accepted THEN 'submitted'
            WHEN path IN ('rejected', 'merged') THEN path
            WHEN now() < assigned THEN 'accepted'
            WHEN now() < resolved THEN CASE WHEN path = 'answered' THEN 'accepted'
                                            WHEN now() >= started THEN 'in_progress' ELSE 'assigned' END
            WHEN level = 'unsatisfied' AND now() >= rated AND now() < resolved_again THEN 'in_progress'
            WHEN now() < closed THEN 'resolved'
            ELSE 'closed' END""")
    cursor.execute("ALTER TABLE bench_timeline ADD PRIMARY KEY (i); ANALYZE bench_timeline")
    _concern_rows(cursor, n, townships, site_ids, first_id)
    _event_rows(cursor, townships)
    cursor.execute("DROP TABLE bench_timeline")


def _concern_rows(cursor, n: int, townships: list, site_ids: list[int], first_id: int) -> None:
    from django.db import connection

    t = len(townships)
    columns = {column.name for column in connection.introspection.get_table_description(cursor, "petitions_concern")}
    # Coming in main (the first response by staff or a deputy): filled when the column exists.
    first_response = "first_response_at" in columns
    reopened_now = "(level = 'unsatisfied' AND now() >= rated)"
    _timed(f"concerns{' (with first_response_at)' if first_response else ''}", cursor, f"""
        INSERT INTO petitions_concern (
            id, township_id, tracking, channel, deputy_id, site_id, constituent_id, category_id, village_id, place,
            content, status, unit_id, deadline_on, result, outcome, satisfaction, satisfaction_comment, is_public,
            merged_into_id, created_at, updated_at, resolved_at, closed_at, notice_version
            {', first_response_at' if first_response else ''})
        SELECT i, (%(townships)s::bigint[])[1 + k], pg_temp.tracking(i), channel,
               CASE WHEN random() < 0.8 THEN {pick('deputies_deputy', t, 'k')} END,
               CASE WHEN channel IN ('walk_in', 'qr', 'visit')
                    THEN (%(sites)s::bigint[])[1 + k * %(per)s + CASE WHEN random() < 0.5 THEN 0
                                                                    ELSE 1 + floor(random() * (%(per)s - 1))::int END]
                    END,
               CASE WHEN random() < 0.97 THEN {pick('petitions_constituent', t, 'k')} END,
               {pick('petitions_category', t, 'k')}, {pick('deputies_village', t, 'k')}, '',
               (%(places)s::text[])[1 + floor(random() * %(np)s)::int]
               || (%(issues)s::text[])[1 + floor(random() * %(ni)s)::int] || '，'
               || (%(details)s::text[])[1 + floor(random() * %(nd)s)::int] || '，'
               || (%(requests)s::text[])[1 + floor(random() * %(nr)s)::int] || '。',
               status,
               CASE WHEN now() >= assigned THEN {pick('petitions_unit', t, 'k')} END,
               CASE WHEN now() >= assigned THEN greatest(
                   ((assigned + interval '14 days') AT TIME ZONE %(tz)s)::date,
                   CASE WHEN {reopened_now} THEN ((rated + interval '14 days') AT TIME ZONE %(tz)s)::date END) END,
               CASE WHEN status IN ('resolved', 'closed', 'rejected') THEN '已答复。' ELSE '' END,
               CASE WHEN status IN ('resolved', 'closed') THEN {_cases(OUTCOMES, 'r_outcome')}
                    WHEN status = 'rejected' THEN 'rejected' WHEN status = 'merged' THEN 'duplicate' ELSE '' END,
               CASE WHEN status <> 'closed' THEN ''
                    WHEN resolved_again IS NOT NULL THEN CASE WHEN rated_again IS NOT NULL THEN level_again ELSE '' END
                    WHEN is_rated THEN level ELSE '' END,
               '', random() < 0.3,
               -- Into an earlier concern of the same township.
               CASE WHEN status = 'merged' THEN CASE WHEN i - %(first)s >= %(t)s THEN i - %(t)s ELSE i END END,
               filed,
               greatest(filed, {", ".join(f"CASE WHEN {moment} <= now() THEN {moment} END" for moment in (
                   "accepted", "assigned", "started", "resolved", "rated", "resolved_again", "rated_again", "closed"))}),
               CASE WHEN status IN ('resolved', 'closed')
                    THEN CASE WHEN {reopened_now} THEN resolved_again ELSE resolved END END,
               CASE WHEN status = 'closed' THEN closed WHEN status IN ('rejected', 'merged') THEN accepted END,
               ''
               {", CASE WHEN now() >= accepted THEN accepted END" if first_response else ''}
        FROM (SELECT *, (%(channels)s::text[])[1 + floor(random() * %(nc)s)::int] AS channel
              FROM bench_timeline) AS timeline
        ORDER BY i""",
        {"townships": [township.pk for township in townships], "t": t, "sites": site_ids, "first": first_id,
         "per": SITES_PER_TOWNSHIP, "tz": STATION_TIME, "channels": CHANNELS, "nc": len(CHANNELS),
         "places": PLACES, "np": len(PLACES), "issues": ISSUES, "ni": len(ISSUES), "details": DETAILS,
         "nd": len(DETAILS), "requests": REQUESTS, "nr": len(REQUESTS)})
    cursor.execute("SELECT setval(pg_get_serial_sequence('petitions_concern', 'id'), %s)", [first_id + n - 1])


def _event_rows(cursor, townships: list) -> None:
    """The timeline's moves up to now, in the order they happened (as the table fills in a station)."""
    resolved_from = "CASE WHEN path = 'answered' THEN 'accepted' WHEN started IS NULL THEN 'assigned' ELSE 'in_progress' END"
    _timed("concern events", cursor, f"""
        INSERT INTO petitions_concernevent (
            township_id, concern_id, kind, actor_role, from_status, to_status, note, satisfaction, is_public, created_at)
        SELECT (%(townships)s::bigint[])[1 + k], i, e.kind, e.role, e.from_status, e.to_status, '', e.level,
               e.kind = 'transition', e.at
        FROM bench_timeline CROSS JOIN LATERAL (VALUES
            ('transition', 'station_staff', 'submitted', CASE WHEN path IN ('rejected', 'merged') THEN path
                                                              ELSE 'accepted' END, '', accepted),
            ('transition', 'station_staff', 'accepted', 'assigned', '', assigned),
            ('transition', 'handler', 'assigned', 'in_progress', '', started),
            ('transition', CASE WHEN path = 'answered' THEN 'station_staff' ELSE 'handler' END, {resolved_from},
             'resolved', '', resolved),
            ('rating', 'constituent', '', '', level, rated),
            ('transition', 'constituent', 'resolved', 'in_progress', '', CASE WHEN resolved_again IS NOT NULL THEN rated END),
            ('transition', 'handler', 'in_progress', 'resolved', '', resolved_again),
            ('rating', 'constituent', '', '', level_again, rated_again)
        ) AS e (kind, role, from_status, to_status, level, at)
        WHERE e.at <= now()
        ORDER BY e.at""", {"townships": [township.pk for township in townships]})


def receptions_load(cursor, count: int, townships: list, site_ids: list[int], start: datetime.datetime) -> None:
    """Walk-ins and visits logged at the sites (the station most), each with the deputy on duty."""
    t = len(townships)
    _timed("receptions", cursor, f"""
        INSERT INTO petitions_reception (
            township_id, created_at, updated_at, received_on, site_id, constituent_id, visitor_count, village_id,
            matters, answer, satisfaction, notice_version)
        SELECT (%(townships)s::bigint[])[1 + k], at, at, (at AT TIME ZONE %(tz)s)::date,
               (%(sites)s::bigint[])[1 + k * %(per)s + CASE WHEN random() < 0.6 THEN 0
                                                          ELSE 1 + floor(random() * (%(per)s - 1))::int END],
               {pick('petitions_constituent', t, 'k')}, CASE WHEN random() < 0.1 THEN 2 + floor(random() * 5)::int ELSE 1 END,
               {pick('deputies_village', t, 'k')},
               (%(places)s::text[])[1 + floor(random() * %(np)s)::int]
               || (%(issues)s::text[])[1 + floor(random() * %(ni)s)::int] || '。',
               CASE WHEN r < 0.6 THEN '已现场解答。' ELSE '' END,
               CASE WHEN r < 0.5 THEN 'satisfied' WHEN r < 0.62 THEN 'basic' WHEN r < 0.65 THEN 'unsatisfied' ELSE '' END,
               ''
        FROM (SELECT j, (j - 1) %% %(t)s AS k, random() AS r,
                     %(start)s + (now() - %(start)s) * ((j - 1 + random()) / %(m)s) AS at
              FROM generate_series(1, %(m)s) AS j) AS numbered
        ORDER BY j""",
        {"townships": [township.pk for township in townships], "t": t, "m": count, "start": start,
         "sites": site_ids, "per": SITES_PER_TOWNSHIP, "tz": STATION_TIME, "places": PLACES, "np": len(PLACES),
         "issues": ISSUES, "ni": len(ISSUES)})
    low, _count = id_range("deputies_deputy")
    _timed("receptions' deputies", cursor, """
        INSERT INTO petitions_reception_deputies (reception_id, deputy_id)
        SELECT r.id, %(low)s + (array_position(%(townships)s::bigint[], r.township_id) - 1) * %(each)s
                     + (r.id * 7 + g * 13) %% %(each)s
        FROM petitions_reception r CROSS JOIN LATERAL generate_series(1, 1 + (r.id %% 2)::int) AS g""",
        {"low": low, "each": DEPUTIES_PER_TOWNSHIP, "townships": [township.pk for township in townships]})


def activities_load(cursor, count: int, townships: list, start: datetime.datetime) -> None:
    """Activities of every kind with two to six deputies, a third of the public ones with two photos, and a
    report-to-voters row for each report."""
    from django.utils import timezone

    t = len(townships)
    township_ids = [township.pk for township in townships]
    days = (timezone.localdate() - timezone.localtime(start).date()).days
    _timed("activities", cursor, """
        INSERT INTO deputies_activity (
            township_id, created_at, updated_at, code, kind, held_on, title, place, summary, enterprise, is_public)
        SELECT (%(townships)s::bigint[])[1 + k], (held + time '18:00') AT TIME ZONE %(tz)s,
               (held + time '18:00') AT TIME ZONE %(tz)s, 'bact' || i, (%(kinds)s::text[])[1 + kind],
               held, (%(titles)s::text[])[1 + kind], (%(places)s::text[])[1 + i %% %(np)s], '',
               CASE WHEN (%(kinds)s::text[])[1 + kind] = 'enterprise_visit' THEN '第' || i %% 50 || '号企业' ELSE '' END,
               random() < 0.85
        FROM (SELECT i, (i - 1) %% %(t)s AS k, (i - 1) / %(t)s %% %(nk)s AS kind,
                     %(first)s::date + floor(random() * %(days)s)::int AS held
              FROM generate_series(1, %(m)s) AS i) AS numbered
        ORDER BY held""",
        {"townships": township_ids, "t": t, "m": count, "tz": STATION_TIME, "kinds": [k for k, _ in KINDS],
         "titles": [title for _, title in KINDS], "nk": len(KINDS), "places": PLACES, "np": len(PLACES),
         "first": timezone.localtime(start).date(), "days": days + 1})
    low, _count = id_range("deputies_deputy")
    _timed("activities' deputies", cursor, """
        INSERT INTO deputies_activity_deputies (activity_id, deputy_id)
        SELECT a.id, %(low)s + (array_position(%(townships)s::bigint[], a.township_id) - 1) * %(each)s
                     + (a.id * 7 + g * 13) %% %(each)s
        FROM deputies_activity a CROSS JOIN LATERAL generate_series(1, 2 + (a.id %% 5)::int) AS g""",
        {"low": low, "each": DEPUTIES_PER_TOWNSHIP, "townships": township_ids})
    _timed("reports to voters", cursor, """
        INSERT INTO deputies_reporttovoters (
            township_id, activity_id, deputy_id, voters_present, report, satisfied, basically_satisfied, dissatisfied)
        SELECT a.township_id, a.id, (SELECT min(deputy_id) FROM deputies_activity_deputies WHERE activity_id = a.id),
               40 + a.id % 50, '述职报告。', 20 + a.id % 10, 5, 1
        FROM deputies_activity a WHERE a.kind = 'report_to_voters'""")
    _timed("activity photos", cursor, """
        INSERT INTO deputies_activityphoto (township_id, activity_id, key, image, created_at)
        SELECT a.township_id, a.id, gen_random_uuid(), 'activities/bench/' || a.code || '-' || g || '.jpg', a.created_at
        FROM deputies_activity a CROSS JOIN generate_series(1, 2) AS g
        WHERE a.is_public AND a.id % 3 = 0""")


def duty_load(cursor, townships: list, start: datetime.datetime) -> None:
    """Each site's duty days by its rule from the first filing to two months ahead (published a month
    ahead), three deputies a day at the station and two at a point; nine in ten shifts past attended."""
    from django.utils import timezone

    today = timezone.localdate()
    _timed("duty days", cursor, """
        INSERT INTO deputies_dutyday (township_id, created_at, updated_at, site_id, held_on, is_published, published_at,
                                      is_adjusted)
        SELECT s.township_id, now(), now(), s.id, d::date, d::date <= %(today)s + 30,
               CASE WHEN d::date <= %(today)s + 30 THEN (d - interval '7 days') AT TIME ZONE %(tz)s END, false
        FROM deputies_site s
        JOIN deputies_dutyrule rule ON rule.site_id = s.id
        JOIN generate_series(%(first)s::timestamp, %(today)s + 60, interval '1 day') AS d
          ON extract(day FROM d)::text = ANY (string_to_array(nullif(rule.days_of_month, ''), ','))
          OR extract(isodow FROM d)::text = ANY (string_to_array(nullif(rule.weekdays, ''), ','))""",
        {"today": today, "first": timezone.localtime(start).date(), "tz": STATION_TIME})
    low, _count = id_range("deputies_deputy")
    _timed("shifts", cursor, """
        INSERT INTO deputies_shift (township_id, created_at, updated_at, day_id, deputy_id, source, is_cancelled,
                                    attended, checked_in_at)
        SELECT township_id, now(), now(), day_id, deputy_id, 'generated', false, attended,
               CASE WHEN attended THEN (held_on + time '09:00' + random() * interval '40 minutes') AT TIME ZONE %(tz)s END
        FROM (SELECT d.township_id, d.id AS day_id, d.held_on, d.held_on <= %(today)s AND random() < 0.93 AS attended,
                     %(low)s + (array_position(%(townships)s::bigint[], d.township_id) - 1) * %(each)s
                     + (d.id * 7 + g * 13) %% %(each)s AS deputy_id
              FROM deputies_dutyday d
              JOIN deputies_dutyrule rule ON rule.site_id = d.site_id
              CROSS JOIN LATERAL generate_series(1, rule.deputies_per_day) AS g) AS shifts""",
        {"today": today, "tz": STATION_TIME, "low": low, "each": DEPUTIES_PER_TOWNSHIP,
         "townships": [township.pk for township in townships]})


def suggestions_load(cursor, townships: list, start: datetime.datetime) -> None:
    """SUGGESTIONS_PER_YEAR a township: assigned five days after submission, answered one to three months
    on in an answer category of the township, closed with the deputy's rating ten days after the answer."""
    from django.db import connection
    from django.utils import timezone

    t = len(townships)
    years = (timezone.now() - start).days / 365
    count = max(t, round(SUGGESTIONS_PER_YEAR * years) * t)
    with connection.cursor() as categories:
        categories.execute("SELECT id FROM petitions_answercategory ORDER BY township_id, \"order\"")
        category_ids = [row[0] for row in categories.fetchall()]
    shares = "CASE " + " ".join(
        f"WHEN r_category < {sum(c[4] for c in ANSWER_CATEGORIES[:n + 1]):.2f} THEN {n}"
        for n in range(len(ANSWER_CATEGORIES) - 1)) + f" ELSE {len(ANSWER_CATEGORIES) - 1} END"
    _timed("suggestions", cursor, f"""
        INSERT INTO petitions_suggestion (
            township_id, created_at, updated_at, code, title, content, kind, deputy_id, status, submitted_at,
            assign_by, assigned_at, answer_by, answer, answer_category_id, answered_at, rating, rehandle_count,
            follow_up_note, closed_at)
        SELECT (%(townships)s::bigint[])[1 + k], submitted, greatest(submitted, {
            ", ".join(f"CASE WHEN {m} <= now() THEN {m} END" for m in ("assigned", "answered", "closed"))}),
               'bsug' || i, '关于' || (%(issues)s::text[])[1 + i %% %(ni)s] || '的建议', '建议尽快解决。', 'livelihood',
               {pick('deputies_deputy', t, 'k')},
               CASE WHEN now() < assigned THEN 'submitted' WHEN now() < answered THEN
                    CASE WHEN r_category < 0.5 THEN 'assigned' ELSE 'accepted' END
                    WHEN now() < closed THEN 'answered' ELSE 'closed' END,
               submitted, (submitted + interval '7 days')::date,
               CASE WHEN now() >= assigned THEN assigned END,
               CASE WHEN now() >= assigned THEN (assigned + interval '3 months')::date END,
               CASE WHEN now() >= answered THEN '已研究办理。' ELSE '' END,
               CASE WHEN now() >= answered THEN (%(categories)s::bigint[])[1 + k * %(nac)s + {shares}] END,
               CASE WHEN now() >= answered THEN answered END,
               CASE WHEN now() >= closed THEN CASE WHEN r_category < 0.8 THEN 'satisfied' ELSE 'basically' END
                    ELSE '' END,
               0, '', CASE WHEN now() >= closed THEN closed END
        FROM (SELECT i, k, r_category, submitted, submitted + interval '5 days' AS assigned,
                     submitted + (35 + 60 * random()) * interval '1 day' AS answered,
                     submitted + (45 + 60 * random()) * interval '1 day' AS closed
              FROM (SELECT i, (i - 1) %% %(t)s AS k, random() AS r_category,
                           %(start)s + (now() - %(start)s) * ((i - 1 + random()) / %(m)s) AS submitted
                    FROM generate_series(1, %(m)s) AS i) AS drawn) AS timeline
        ORDER BY i""",
        {"townships": [township.pk for township in townships], "t": t, "m": count, "start": start,
         "categories": category_ids, "nac": len(ANSWER_CATEGORIES), "issues": ISSUES, "ni": len(ISSUES)})
    _timed("suggestions' lead units", cursor, f"""
        INSERT INTO petitions_suggestionunit (township_id, suggestion_id, unit_id, role, assigned_at, accepted_at,
                                              return_reason, view)
        SELECT s.township_id, s.id,
               {pick('petitions_unit', t, 'array_position(%(townships)s::bigint[], s.township_id) - 1')},
               'lead', s.assigned_at, s.assigned_at + interval '2 days', '', ''
        FROM petitions_suggestion s WHERE s.assigned_at IS NOT NULL""",
        {"townships": [township.pk for township in townships]})


def households_load(cursor, contacts: int, townships: list, start: datetime.datetime) -> None:
    """Ten liaison households a deputy (DESIGN §2) in the deputy's village, and `contacts` visits and calls
    spread over them and over the time since the first filing."""
    from django.utils import timezone

    t = len(townships)
    _timed("liaison households", cursor, """
        INSERT INTO deputies_liaisonhousehold (township_id, created_at, updated_at, deputy_id, head, phone, village_id,
                                              address, note)
        SELECT d.township_id, %(start)s, %(start)s, d.id,
               (%(surnames)s::text[])[1 + (d.id * 10 + g) %% %(ns)s] || '某',
               '139' || lpad(((d.id * 10 + g) * 7919 %% 100000000)::text, 8, '0'), d.village_id, '', ''
        FROM deputies_deputy d CROSS JOIN generate_series(1, 10) AS g
        ORDER BY d.id, g""", {"start": start, "surnames": SURNAMES, "ns": len(SURNAMES)})
    days = (timezone.localdate() - timezone.localtime(start).date()).days
    _timed("household contacts", cursor, f"""
        INSERT INTO deputies_householdcontact (township_id, created_at, updated_at, household_id, deputy_id, kind,
                                               contacted_on, notes)
        SELECT h.township_id, (contacted_on + time '20:00') AT TIME ZONE %(tz)s,
               (contacted_on + time '20:00') AT TIME ZONE %(tz)s, h.id, h.deputy_id,
               CASE WHEN random() < 0.7 THEN 'visit' ELSE 'call' END, contacted_on, ''
        FROM (SELECT {pick('deputies_liaisonhousehold', t, '(j - 1) %% ' + str(t))} AS household_id,
                     %(first)s::date + floor(random() * %(days)s)::int AS contacted_on
              FROM generate_series(1, %(m)s) AS j) AS drawn
        JOIN deputies_liaisonhousehold h ON h.id = drawn.household_id
        ORDER BY contacted_on""",
        {"tz": STATION_TIME, "first": timezone.localtime(start).date(), "days": days + 1, "m": contacts})

"""The desk's searches at a million concerns on PostgreSQL: timings and query plans.

    .venv/bin/python bench/desk_search.py               (a million concerns; about ten minutes)
    .venv/bin/python bench/desk_search.py --concerns 100000
    .venv/bin/python bench/desk_search.py --townships 20    (the same rows spread over 20 townships)

On demand, not part of make test. Starts a throw-away PostgreSQL (tests/services.py),
migrates, loads the concerns (and 0.4 per concern constituents) with generate_series SQL,
builds the search indexes after the load (faster than row by row), VACUUM ANALYZE, then
requests the desk list as station staff for each kind of search, as the page does (the
tabs' counting query and the page of rows), and prints the median time of the whole
request and EXPLAIN (ANALYZE, BUFFERS) of its queries on concerns and constituents.
Last, it times the .xlsx export of a range longer than the row cap. Figures only;
nothing here passes or fails.

Every row belongs to a township (liaison.scoping). With --townships N the concerns,
constituents and reference rows are spread evenly over N townships (the default one and
N - 1 more), each concern pointing at its own township's rows, and the staff login works
in the first: the figures are then one township's desk in a county of N.
"""

import argparse
import importlib
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.services import postgresql  # noqa: E402

PLACES = [
    "村口", "村委会门口", "小学旁边", "河边竹林", "老街", "菜市场", "卫生院门口", "工业园区", "三号桥", "文化礼堂",
    "葡萄园旁", "茶园里", "水库边", "公交站", "十字路口", "幼儿园门口", "祠堂前", "养老院旁", "新村小区", "停车场",
    "溪边步道", "农贸市场", "村道拐弯处", "加油站附近", "老粮站", "敬老院", "山脚下", "大桥下", "镇政府对面", "汽车站",
]
ISSUES = [
    "路灯不亮", "垃圾长期无人清运", "环境卫生差", "道路坑洼积水", "排水沟堵塞", "噪音扰民", "违章搭建", "停车混乱",
    "自来水水压不足", "网络信号差", "农药瓶随意丢弃", "野狗伤人", "河道漂浮物多", "广场舞音响太大", "公厕无人打扫",
    "桥梁护栏损坏", "电线私拉乱接", "养殖场异味大", "大货车超速", "缺少减速带", "低保申请进度慢", "医保报销咨询",
    "养老金发放延迟", "宅基地审批慢", "灌溉渠道堵塞", "公交班次太少", "斑马线褪色", "施工扬尘严重", "占道经营",
    "井水有异味", "树木倒伏挡路", "消防通道被占", "快递点乱堆放", "外来车辆乱停", "污水直排河道", "小广告乱贴",
    "菜价标示不清", "充电桩不够用", "健身器材损坏", "监控探头不足",
]
REQUESTS = [
    "希望尽快处理", "请有关部门核实", "已经反映多次", "影响老人出行", "孩子上学不安全", "希望增设设施", "请派人查看",
    "夜里很危险", "影响生意", "希望给个答复", "村民意见很大", "希望纳入民生实事", "请代表帮忙督促", "希望定期检查",
    "请尽快修复", "影响正常生活", "存在安全隐患", "希望公开处理结果", "请镇里协调", "希望长效管理",
]
DETAILS = [
    "已经持续两个多月了", "村里很多人都有意见", "晚上八点以后尤其严重", "下雨天更加明显", "去年也出现过", "周末人多的时候",
    "附近住户反映强烈", "上次处理后又反复", "老人小孩经过时", "之前打过热线电话", "春节前后更严重", "赶集的日子",
]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余")
GIVEN = [a + b for a in "建国秀志明丽文华春海小玉金永" for b in "英平军伟芳强红林华兰梅荣生娟杰"]
# Words of known frequency: one row in five thousand holds each rare one.
RARE = ["村口窨井盖下沉破损", "申请危房改造补助"]
CHANNELS = ["qr", "walk_in", "phone", "visit", "household", "patrol", "online", "enterprise"]
OPEN_ROWS = 20_000  # the newest concerns are still open (and some of them overdue); the rest ended


def _environment(database_url: str, work: Path) -> None:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "liaison.settings", "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "*", "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(work / "media"), "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "STATIC_ROOT": str(work / "static"), "LOG_LEVEL": "WARNING", "SITE_URL": "https://rd.baita.example.cn",
    })


def _create_database(database_url: str) -> None:
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def _townships(count: int) -> list:
    """The default township (migrate made it) and count - 1 more in its county."""
    from liaison.models import Township
    from liaison.scoping import default_township

    first = default_township()
    more = Township.objects.bulk_create([
        Township(county=first.county, name=f"第{k}镇", code=f"bench{k}", station_name=f"第{k}镇人大代表联络站",
                 position=k)
        for k in range(1, count)
    ])
    return [first, *more]


def _reference_rows(townships: list):
    """Each township's areas, villages, station, deputies, units and categories, through the ORM, one
    township after the other (so each township's rows of a table are one range of ids, which _pick
    relies on); and a staff login working in the first township."""
    from django.contrib.auth.models import Group, User

    from liaison import roles
    from liaison.models import Membership
    from liaison.scoping import in_township

    for k, township in enumerate(townships):
        with in_township(township):
            _station_rows(township, k)
    staff = User.objects.create_user("staff", password="x")
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    if len(townships) > 1:  # one station's accounts need no membership; a county's do
        Membership.objects.create(user=staff, township=townships[0])
    return staff


def _station_rows(township, k: int) -> None:
    from deputies.models import Area, Deputy, Site, Village
    from petitions.models import Category, Unit

    # bulk_create skips save(), which would take the township from the scope: each row names it.
    areas = Area.objects.bulk_create([Area(township=township, name=f"第{n}片区", position=n) for n in range(5)])
    villages = Village.objects.bulk_create([
        Village(township=township, name=f"{n}号村", area=areas[n % 5]) for n in range(40)])
    # Public codes are unique across the county.
    site = Site.objects.create(kind=Site.Kind.STATION, name=township.station_name, code=f"benchsite{k}")
    Deputy.objects.bulk_create([
        Deputy(township=township, name=SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)], level=5,
               code=f"bench{k}x{n:04d}", village=villages[n % 40], site=site)
        for n in range(98)
    ])
    units = Unit.objects.bulk_create([
        Unit(township=township, name=f"{n}号承办单位", kind="department") for n in range(25)])
    Category.objects.bulk_create([
        Category(township=township, name=f"类别{n}", default_unit=units[n], deadline_days=10) for n in range(10)])


def _id_range(table: str) -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) - min(id) + 1 FROM {table}")
        return cursor.fetchone()


def _pick(table: str, townships: int, k: str) -> str:
    """A random row of `table` in the township numbered by the SQL expression k (0 .. townships - 1):
    each township's rows are one range of ids, of the same length."""
    low, count = _id_range(table)
    each = count // townships
    return f"{low} + ({k}) * {each} + floor(random() * {each})::int"


def _load(n: int, townships: list) -> None:
    from django.db import connection

    (module,) = (ROOT / "petitions" / "migrations").glob("*_desk_search.py")  # the migration's own SQL
    migration = importlib.import_module(f"petitions.migrations.{module.stem}")
    t = len(townships)
    township_ids = [township.pk for township in townships]
    each = max(1, int(n * 0.4) // t)  # constituents per township, made one township after the other
    constituents = each * t
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        # Built once after the load: faster than keeping them up to date row by row.
        cursor.execute("DROP INDEX concern_content_trgm_idx; DROP INDEX concern_content_bigram_idx")
        cursor.execute("""
            CREATE FUNCTION pg_temp.tracking(n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
            DECLARE alphabet text := '23456789abcdefghjkmnpqrstuvwxyz';
                    v bigint := (n * 1000003) % 819628286980801;  -- a bijection on 31^10
                    code text := '';
            BEGIN
                FOR i IN 1..10 LOOP code := substr(alphabet, (v % 31)::int + 1, 1) || code; v := v / 31; END LOOP;
                RETURN code;
            END $$""")
        started = time.perf_counter()
        cursor.execute(f"""
            INSERT INTO petitions_constituent (township_id, created_at, updated_at, name, mobile, village_id)
            SELECT (%(townships)s::bigint[])[1 + k], now() - random() * interval '5 years', now(),
                   (%(surnames)s::text[])[1 + floor(random() * %(ns)s)::int]
                   || (%(given)s::text[])[1 + floor(random() * %(ng)s)::int],
                   '13' || lpad(((i::bigint * 7919) %% 1000000000)::text, 9, '0'),
                   {_pick('deputies_village', t, 'k')}
            FROM (SELECT i, (i - 1) / %(each)s AS k FROM generate_series(1, %(n)s) AS i) AS numbered""",
            {"townships": township_ids, "surnames": SURNAMES, "ns": len(SURNAMES), "given": GIVEN,
             "ng": len(GIVEN), "n": constituents, "each": each})
        print(f"{constituents:,} constituents in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        cursor.execute(f"""
            INSERT INTO petitions_concern (
                township_id, tracking, channel, deputy_id, constituent_id, category_id, village_id, place, content,
                status, unit_id, deadline_on, result, outcome, satisfaction, satisfaction_comment, is_public,
                merged_into_id, created_at, updated_at, resolved_at, closed_at)
            SELECT (%(townships)s::bigint[])[1 + k], pg_temp.tracking(i), channel, deputy_id, constituent_id,
                   category_id, village_id, '', content,
                   status, CASE WHEN status IN ('submitted', 'accepted') THEN NULL ELSE unit_id END,
                   CASE WHEN status IN ('submitted', 'accepted') THEN NULL ELSE (created_at + interval '10 days')::date END,
                   CASE WHEN status IN ('resolved', 'closed', 'rejected') THEN '已答复。' ELSE '' END,
                   CASE status WHEN 'rejected' THEN 'rejected' WHEN 'merged' THEN 'duplicate'
                               WHEN 'resolved' THEN 'fixed'
                               WHEN 'closed' THEN (ARRAY['fixed', 'fixed', 'explained', 'not_feasible'])[1 + floor(r2 * 4)::int]
                               ELSE '' END,
                   '', '', r2 < 0.3,
                   -- Into an earlier concern of the same township (concern i has id i: a fresh table).
                   CASE WHEN status = 'merged' THEN CASE WHEN i > %(t)s THEN i - %(t)s ELSE i END END,
                   created_at, created_at + r2 * interval '20 days',
                   CASE WHEN status IN ('resolved', 'closed') THEN created_at + interval '8 days' END,
                   CASE WHEN status IN ('closed', 'rejected', 'merged') THEN created_at + interval '15 days' END
            FROM (
                SELECT i, k, r2,
                       (%(channels)s::text[])[1 + floor(random() * 8)::int] AS channel,
                       {_pick('deputies_deputy', t, 'k')} AS deputy_id,
                       CASE WHEN random() < 0.97 THEN {_pick('petitions_constituent', t, 'k')} END AS constituent_id,
                       {_pick('petitions_category', t, 'k')} AS category_id,
                       {_pick('deputies_village', t, 'k')} AS village_id,
                       {_pick('petitions_unit', t, 'k')} AS unit_id,
                       CASE WHEN i > %(n)s - %(open)s
                            THEN (ARRAY['submitted', 'accepted', 'assigned', 'in_progress', 'resolved'])[1 + floor(r * 5)::int]
                            WHEN r < 0.90 THEN 'closed' WHEN r < 0.95 THEN 'rejected' ELSE 'merged' END AS status,
                       now() - interval '5 years' * (1 - i::float / %(n)s) - random() * interval '2 hours' AS created_at,
                       (%(places)s::text[])[1 + floor(random() * %(np)s)::int]
                       || (%(issues)s::text[])[1 + floor(random() * %(ni)s)::int] || '，'
                       || (%(details)s::text[])[1 + floor(random() * %(nd)s)::int] || '，'
                       || (%(requests)s::text[])[1 + floor(random() * %(nr)s)::int] || '。'
                       || CASE WHEN random() < 0.5
                               THEN '另外' || (%(places)s::text[])[1 + floor(random() * %(np)s)::int]
                                    || (%(issues)s::text[])[1 + floor(random() * %(ni)s)::int] || '。'
                               ELSE '' END
                       || CASE WHEN random() < 0.0002 THEN %(rare0)s WHEN random() < 0.0002 THEN %(rare1)s ELSE '' END
                       AS content
                -- Dealt out to the townships in turn: each has concerns of every age, and open ones.
                FROM (SELECT i, (i - 1) %% %(t)s AS k, random() AS r, random() AS r2
                      FROM generate_series(1, %(n)s) AS i) AS numbered
            ) AS generated""",
            {"townships": township_ids, "t": t,
             "channels": CHANNELS, "n": n, "open": min(OPEN_ROWS, n // 10), "places": PLACES, "np": len(PLACES),
             "issues": ISSUES, "ni": len(ISSUES), "details": DETAILS, "nd": len(DETAILS), "requests": REQUESTS,
             "nr": len(REQUESTS), "rare0": RARE[0], "rare1": RARE[1]})
        print(f"{n:,} concerns in {time.perf_counter() - started:.1f} s", flush=True)
        for statement in migration._CREATE[1:]:
            if "CREATE INDEX" in statement:
                started = time.perf_counter()
                cursor.execute(statement)
                print(f"{statement.split()[5]} built in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s", flush=True)
        cursor.execute("""
            SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class
            WHERE relname IN ('petitions_concern', 'concern_content_trgm_idx', 'concern_content_bigram_idx',
                              'petitions_constituent')""")
        print("sizes:", ", ".join(f"{name} {size}" for name, size in cursor.fetchall()), flush=True)


def _examples(township) -> dict[str, str]:
    """A tracking code, mobile and name of the staff's own township, to search for."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.tracking, k.mobile, k.name FROM petitions_concern c
            JOIN petitions_constituent k ON k.id = c.constituent_id
            WHERE c.township_id = %(township)s
            ORDER BY c.id LIMIT 1
            OFFSET (SELECT count(*) / 3 FROM petitions_concern WHERE township_id = %(township)s)""",
            {"township": township.pk})
        tracking, mobile, name = cursor.fetchone()
    return {"tracking": tracking, "mobile": mobile, "last4": mobile[-4:], "name": name}


def _timed(client, url: str, params: dict, repeat: int = 5):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    # Copied now: the next requests clear the connection's log.
    queries = list(captured.captured_queries)
    assert response.status_code == 200, response.status_code
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, params)
        samples.append(time.perf_counter() - started)
    return response, statistics.median(samples), queries


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(f"    {line}" for (line,) in cursor.fetchall())


def _cases(examples: dict[str, str]) -> list[tuple[str, dict]]:
    return [
        ("the list, no filter (newest first)", {}),
        ("overdue tab, by deadline", {"overdue": "on", "sort": "deadline"}),
        ("tracking code", {"q": examples["tracking"]}),
        ("full mobile", {"q": examples["mobile"]}),
        ("last four digits", {"q": examples["last4"]}),
        (f"name ({examples['name']})", {"q": examples["name"]}),
        ("2-char word, common (路灯)", {"q": "路灯"}),
        ("2-char word, rare (窨井)", {"q": "窨井"}),
        ("4-char word, common (环境卫生)", {"q": "环境卫生"}),
        ("4-char word, rare (危房改造)", {"q": "危房改造"}),
        ("2-char word + closed tab, by last change", {"q": "路灯", "status": "closed", "sort": "-updated"}),
        ("4-char word + in-progress tab, by deadline", {"q": "环境卫生", "status": "in_progress", "sort": "deadline"}),
        ("2-char rare word + assigned tab", {"q": "窨井", "status": "assigned"}),
    ]


# The lines of a plan that say how rows were found; the joins that fetch a page's names are left
# to the full plans file.
_TELLING = ("Scan", "Index Cond", "Recheck Cond", "Filter:", "Rows Removed", "Sort Key", "Sort Method",
            "Heap Blocks", "Execution Time", "Limit", "Aggregate", "Gather", "Workers")


def _brief(plan: str) -> str:
    lines = plan.splitlines()
    kept = [line for line in lines if any(word in line for word in _TELLING) and "Memoize" not in line]
    # Lookups of one row by primary key (category, deputy, ... of each row on the page) say nothing here.
    return "\n".join(line for line in kept if "_pkey" not in line and "= petitions_concern." not in line)


def _run_searches(staff, township, plans) -> None:
    from django.test import Client

    client = Client()
    client.force_login(staff)  # the requests get the staff's township from TownshipMiddleware
    for label, params in _cases(_examples(township)):
        response, seconds, queries = _timed(client, "/desk/concerns/", params)
        shown = response.content.decode().split('id="concern-count">', 1)[1].split("<", 1)[0]
        heading = (f"\n=== {label}: {params}\n    request {seconds * 1000:.1f} ms (median of 5), page says "
                   f"'{shown}', {len(queries)} queries")
        print(heading, flush=True)
        plans.write(heading + "\n")
        for query in queries:
            sql = query["sql"]
            if "petitions_concern" in sql or "petitions_constituent" in sql:
                plan = _explain(sql)
                print(f"\n  {sql[:160]} …\n{_brief(plan)}", flush=True)
                plans.write(f"\n  {sql}\n{plan}\n")


def _run_export(staff) -> None:
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    client = Client()
    client.force_login(staff)
    today = timezone.localdate()
    params = {"date_from": (today.replace(year=today.year - 2)).isoformat(), "date_to": today.isoformat()}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    response = client.get("/desk/concerns/export.xlsx", params)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n=== export .xlsx of two years (cap {settings.EXPORT_ROW_LIMIT:,} rows): {seconds:.1f} s, "
          f"{size / 1e6:.1f} MB, peak memory of the process {before:.0f} → {after:.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concerns", type=int, default=1_000_000)
    parser.add_argument("--townships", type=int, default=1, help="spread the rows over this many townships")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="liaison-desk-bench-"))
    try:
        _bench(arguments.concerns, max(1, arguments.townships), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bench(concerns: int, township_count: int, work: Path) -> None:
    with postgresql() as database_url:
        _create_database(database_url)
        _environment(database_url, work)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        townships = _townships(township_count)
        staff = _reference_rows(townships)
        _load(concerns, townships)
        if township_count > 1:
            print(f"{township_count} townships; the staff login works in {townships[0].name}", flush=True)
        with tempfile.NamedTemporaryFile("w", prefix="liaison-desk-plans-", suffix=".txt", delete=False) as plans:
            _run_searches(staff, townships[0], plans)
        _run_export(staff)
        print(f"\nThe full plans, with the whole SQL: {plans.name}")


if __name__ == "__main__":
    main()

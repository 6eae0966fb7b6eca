"""What the PostgreSQL benches share: the throw-away database's settings, a county of townships with their
reference rows, constituents loaded with generate_series SQL, and query plans in brief.

Every row belongs to a township (liaison.scoping). The reference rows are made one township after the
other, so each township's rows of a table are one range of ids of the same length, which `pick` relies on;
inside `drawing_from(township)` it draws from that one township's ids instead, wherever they lie.
"""

import os
import time
from contextlib import contextmanager
from pathlib import Path

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
CHANNELS = ["qr", "walk_in", "phone", "visit", "household", "patrol", "online", "enterprise"]
DEPUTIES_PER_TOWNSHIP = 98
VILLAGES_PER_TOWNSHIP = 40


def environment(database_url: str, work: Path) -> None:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "liaison.settings", "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "*", "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(work / "media"), "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "STATIC_ROOT": str(work / "static"), "LOG_LEVEL": "WARNING", "SITE_URL": "https://rd.baita.example.cn",
    })


def create_database(database_url: str) -> None:
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def townships(count: int) -> list:
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


def reference_rows(townships: list) -> None:
    """Each township's areas, villages, station, deputies, units and categories, through the ORM, one
    township after the other (so each township's rows of a table are one range of ids, which `pick`
    relies on)."""
    from liaison.scoping import in_township

    for k, township in enumerate(townships):
        with in_township(township):
            _station_rows(township, k)


def _station_rows(township, k: int) -> None:
    from deputies.models import Area, Deputy, Site, Village
    from petitions.models import Category, Unit

    # bulk_create skips save(), which would take the township from the scope: each row names it.
    areas = Area.objects.bulk_create([Area(township=township, name=f"第{n}片区", position=n) for n in range(5)])
    villages = Village.objects.bulk_create([
        Village(township=township, name=f"{n}号村", area=areas[n % 5]) for n in range(VILLAGES_PER_TOWNSHIP)])
    # Public codes are unique across the county.
    site = Site.objects.create(kind=Site.Kind.STATION, name=township.station_name, code=f"benchsite{k}")
    Deputy.objects.bulk_create([
        Deputy(township=township, name=SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)], level=5,
               code=f"bench{k}x{n:04d}", village=villages[n % VILLAGES_PER_TOWNSHIP], site=site)
        for n in range(DEPUTIES_PER_TOWNSHIP)
    ])
    units = Unit.objects.bulk_create([
        Unit(township=township, name=f"{n}号承办单位", kind="department") for n in range(25)])
    Category.objects.bulk_create([
        # bulk_create skips save(), which would make the code too.
        Category(township=township, name=f"类别{n}", code=f"leibie{n}", default_unit=units[n], deadline_days=10)
        for n in range(10)])


def login(username: str, role: str, township=None):
    """A back-office account holding `role`, working in `township` (None: a county account)."""
    from django.contrib.auth.models import Group, User

    from liaison.models import Membership

    user = User.objects.create_user(username, password="x")
    user.groups.add(Group.objects.get(name=role))
    if township is not None:
        Membership.objects.create(user=user, township=township)
    return user


def logged_in(user, **session):
    """A test client logged in as `user` as a finished login is, password and code (two-factor login is
    required for every back-office role but deputies: liaison.accounts.policy), with `session` set."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "bench", "confirmed": True})
    values = client.session
    values.update({DEVICE_ID_SESSION_KEY: device.persistent_id, **session})
    values.save()
    return client


def id_range(table: str) -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) - min(id) + 1 FROM {table}")
        return cursor.fetchone()


_drawing_from: list[int] = []


@contextmanager
def drawing_from(township):
    """`pick` draws from `township`'s own rows of each table, read when it is called: for loading more rows
    into a township whose rows interleave with other townships' (seed_demo's Baita, Hengxi and Butou), where
    the equal ranges of ids `pick` relies on do not hold. Loads inside it are for that one township."""
    _drawing_from.append(township.pk)
    try:
        yield
    finally:
        _drawing_from.pop()


def _ids_of(table: str, township_id: int) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE township_id = %s ORDER BY id", [township_id])
        return [row[0] for row in cursor.fetchall()]


def pick(table: str, townships: int, k: str) -> str:
    """A random row of `table` in the township numbered by the SQL expression k (0 .. townships - 1):
    each township's rows are one range of ids, of the same length."""
    if _drawing_from:
        assert townships == 1, "drawing_from loads one township"
        ids = _ids_of(table, _drawing_from[-1])
        assert ids, f"{table} has no row in the township"
        # Integers only: written into the SQL as a constant array, which PostgreSQL reads once.
        return f"('{{{','.join(map(str, ids))}}}'::bigint[])[1 + floor(random() * {len(ids)})::int]"
    low, count = id_range(table)
    each = count // townships
    return f"{low} + ({k}) * {each} + floor(random() * {each})::int"


# A concern's tracking code from its number: ten characters of the public alphabet, distinct for distinct
# numbers. pg_temp: it goes with the connection.
TRACKING_FUNCTION = """
    CREATE FUNCTION pg_temp.tracking(n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
    DECLARE alphabet text := '23456789abcdefghjkmnpqrstuvwxyz';
            v bigint := (n * 1000003) % 819628286980801;  -- a bijection on 31^10
            code text := '';
    BEGIN
        FOR i IN 1..10 LOOP code := substr(alphabet, (v % 31)::int + 1, 1) || code; v := v / 31; END LOOP;
        RETURN code;
    END $$"""


def constituents_load(cursor, count: int, townships: list) -> int:
    """About `count` constituents, made one township after the other (so `pick` finds each township's);
    returns how many."""
    t = len(townships)
    each = max(1, count // t)
    started = time.perf_counter()
    cursor.execute(f"""
        INSERT INTO petitions_constituent (township_id, created_at, updated_at, name, mobile, village_id)
        SELECT (%(townships)s::bigint[])[1 + k], now() - random() * interval '5 years', now(),
               (%(surnames)s::text[])[1 + floor(random() * %(ns)s)::int]
               || (%(given)s::text[])[1 + floor(random() * %(ng)s)::int],
               '13' || lpad(((i::bigint * 7919) %% 1000000000)::text, 9, '0'),
               {pick('deputies_village', t, 'k')}
        FROM (SELECT i, (i - 1) / %(each)s AS k FROM generate_series(1, %(n)s) AS i) AS numbered""",
        {"townships": [township.pk for township in townships], "surnames": SURNAMES, "ns": len(SURNAMES),
         "given": GIVEN, "ng": len(GIVEN), "n": each * t, "each": each})
    print(f"{each * t:,} constituents in {time.perf_counter() - started:.1f} s", flush=True)
    return each * t


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(f"    {line}" for (line,) in cursor.fetchall())


# The lines of a plan that say how rows were found; the joins that fetch a page's names are left
# to the full plans file.
_TELLING = ("Scan", "Index Cond", "Recheck Cond", "Filter:", "Rows Removed", "Sort Key", "Sort Method",
            "Heap Blocks", "Execution Time", "Limit", "Aggregate", "Gather", "Workers")


def brief(plan: str) -> str:
    lines = plan.splitlines()
    kept = [line for line in lines if any(word in line for word in _TELLING) and "Memoize" not in line]
    # Lookups of one row by primary key (category, deputy, ... of each row on the page) say nothing here.
    return "\n".join(line for line in kept if "_pkey" not in line and "= petitions_concern." not in line)

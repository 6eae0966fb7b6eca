"""Demo directories (docs/demo-data.md): Baita's figures (98 deputies, 1 station, 5 points, 6 rooms) and
two small generated townships, built by the same functions from a `Directory` each.

Deterministic (a fixed random seed per township) and idempotent: every row is looked up by a natural
key first, so running it twice adds nothing twice. Each function works in the township scope active
now (liaison.scoping.in_township) and is given that township for the names it writes.
"""

import random
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction

from deputies.models import Area, Deputy, LiaisonHousehold, Site, Village
from deputies.portraits import portrait_jpeg
from deputies.services import public_record_save

SURNAMES = "王李张陈吴朱徐林周应郑胡金杨蒋潘曹何许郭方邵"
GIVEN = "立新仁贵智慧建国海燕志强丽华国平小红明华伟军秀英永康美玲春林文斌建华雪芳晓东学军玉兰宏伟"
# {county}, {township} (白塔镇), {town} (白塔) and {village} are filled in per deputy.
POSTS = [
    "{village}党支部书记", "{village}村委会主任", "{village}妇联主席", "{village}监委会主任",
    "{county}{township}中心小学教师", "{township}卫生院医生", "{county}杨梅专业合作社理事长", "{township}农业综合服务中心干部",
    "{county}神仙居旅游有限公司经理", "{county}{town}工艺品有限公司总经理", "个体工商户", "民宿经营户",
    "葡萄种植大户", "{township}综合行政执法队队员", "退休教师", "{township}派出所民警",
]


@dataclass(frozen=True)
class Directory:
    """What one township's demo directory holds."""

    areas: dict[str, list[str]]  # area: its villages ("…社区" are communities)
    levels: list[tuple[int, int]]  # (Deputy.Level, how many)
    rooms: int  # county-deputy liaison rooms, in every fourth village
    points: int  # areas with a liaison point, the first ones; the others' deputies sit at the station
    seed: int
    exchange: str  # the first three digits of the township's landlines (0576-878…)
    known: list[tuple] = field(default_factory=list)  # (name, level, post, gender): deputies the demo tells of


BAITA = Directory(
    areas={
        "白塔片区": ["白塔村", "白塔社区", "上街村", "下街村", "岭下村"],
        "高迁片区": ["高迁村", "上王村", "下洋村", "东岙村", "溪头村"],
        "厚仁片区": ["厚仁村", "枫林村", "坑口村", "南峰村"],
        "大路片区": ["大路村", "新桥村", "塘头村", "桥头村", "西岸村"],
        "前王片区": ["前王村", "山下村", "北山村", "滨溪社区"],
    },
    levels=[(Deputy.Level.CITY, 5), (Deputy.Level.COUNTY, 18), (Deputy.Level.TOWNSHIP, 75)],
    rooms=6, points=5, seed=20220808, exchange="878",
    # Deputies named in the news report, kept so the demo tells its stories.
    known=[
        ("吴立新", Deputy.Level.CITY, "白塔镇企业家协会会长", "M"),
        ("吴仁贵", Deputy.Level.COUNTY, "白塔镇人大代表联络站站长", "M"),
        ("王智慧", Deputy.Level.TOWNSHIP, "白塔村党支部书记", "F"),
    ],
)
# The small townships: just enough to see that each keeps to its own rows.
DIRECTORIES = {
    "baita": BAITA,
    "hengxi": Directory(
        areas={"横溪片区": ["横溪村", "横溪社区", "溪港村"], "苍岭片区": ["苍岭坑村", "垟庄村"]},
        levels=[(Deputy.Level.CITY, 1), (Deputy.Level.COUNTY, 3), (Deputy.Level.TOWNSHIP, 9)],
        rooms=1, points=1, seed=20230315, exchange="872",
    ),
    "butou": Directory(
        areas={"埠头片区": ["埠头村", "埠头社区", "西塘村"], "尚仁片区": ["尚仁村", "下园村", "里岙村"]},
        levels=[(Deputy.Level.COUNTY, 2), (Deputy.Level.TOWNSHIP, 9)],
        rooms=1, points=1, seed=20230622, exchange="873",
    ),
}


@transaction.atomic
def seed_places(directory: Directory, township) -> tuple[list[Village], list[Site]]:
    """Areas, villages, the station, liaison points and rooms; returns the villages and the sites (station first)."""
    villages = []
    for position, (area_name, village_names) in enumerate(directory.areas.items()):
        area, _ = Area.objects.get_or_create(name=area_name, defaults={"position": position})
        for name in village_names:
            kind = Village.Kind.COMMUNITY if name.endswith("社区") else Village.Kind.VILLAGE
            village, _ = Village.objects.get_or_create(name=name, defaults={"area": area, "kind": kind})
            villages.append(village)
    phone = f"0576-{directory.exchange}1"
    specs = [(township.station_name, Site.Kind.STATION, None, f"{township.name}人民政府一楼", f"{phone}0001")]
    for number, area in enumerate(Area.objects.all()[:directory.points], start=1):
        specs.append((f"{area.name}代表联络点", Site.Kind.POINT, area, f"{area.name[:2]}村文化礼堂", f"{phone}{number:04d}"))
    for village in villages[::4][:directory.rooms]:
        specs.append((f"{village.name}县人大代表联络室", Site.Kind.ROOM, village.area, f"{village.name}村委会二楼", ""))
    sites = []
    for name, kind, area, address, phone in specs:
        site = Site.objects.filter(name=name).first() or public_record_save(
            record=Site(
                name=name, kind=kind, area=area, address=address, phone=phone,
                opening_hours="周一至周五 8:30–17:00；每月7日、21日代表坐班",
                description="群众有事找代表，代表联络站全天候受理社情民意。",
            )
        )
        sites.append(site)
    return villages, sites


def _deputy_specs(rng: random.Random, directory: Directory, township, villages: list[Village]) -> list[dict]:
    used = {name for name, *_ in directory.known}
    names = {"county": township.county.name, "township": township.name, "town": township.name.removesuffix("镇")}
    specs = []
    for level, count in directory.levels:
        known = [k for k in directory.known if k[1] == level]
        for index in range(count):
            if index < len(known):
                name, _lvl, post, gender = known[index]
            else:
                name = ""
                while not name or name in used:
                    name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
                post = rng.choice(POSTS)
                gender = rng.choice("MF")
            used.add(name)
            village = rng.choice(villages)
            specs.append({"name": name, "level": level, "gender": gender, "village": village,
                          "post": post.format(village=village.name, **names)})
    return specs


@transaction.atomic
def seed_deputies(directory: Directory, township, villages: list[Village], sites: list[Site]) -> int:
    """Create the deputies with portraits and 10–14 liaison households each. Returns how many were new."""
    rng = random.Random(directory.seed)
    station = sites[0]
    point_by_area = {s.area_id: s for s in sites if s.kind == Site.Kind.POINT}
    rooms = [s for s in sites if s.kind == Site.Kind.ROOM] or [station]
    terms = {Deputy.Level.CITY: "台州市第六届人大代表", Deputy.Level.COUNTY: f"{township.county.name}第十七届人大代表",
             Deputy.Level.TOWNSHIP: f"{township.name}第十八届人大代表"}
    created = 0
    for number, spec in enumerate(_deputy_specs(rng, directory, township, villages)):
        mobile = f"13{rng.randint(5, 9)}{number:04d}{rng.randint(1000, 9999)}"
        if spec["level"] == Deputy.Level.CITY:
            site = station
        elif spec["level"] == Deputy.Level.COUNTY:
            site = rooms[number % len(rooms)]
        else:
            site = point_by_area.get(spec["village"].area_id, station)
        biography = (f"{spec['name']}，{spec['post']}。长期扎根基层，"
                     f"联系{spec['village'].name}民情联络户，热心为群众办实事。")
        if Deputy.objects.filter(mobile=mobile).exists():
            continue
        deputy = Deputy(
            **spec, mobile=mobile, site=site, biography=biography,
            organisation=spec["village"].name if "村" in spec["post"] else "",
            office_phone=f"0576-{directory.exchange}9{number:04d}", publish_mobile=number % 5 == 0,
            constituency=f"{township.name}第{spec['village'].area.position + 1}选区", term=terms[spec["level"]],
        )
        photo = portrait_jpeg(spec["name"], seed=directory.seed + number)
        deputy.photo.save(f"demo-{township.code}-{number:03d}.jpg", ContentFile(photo), save=False)
        public_record_save(record=deputy)
        _seed_households(random.Random(directory.seed + number), deputy, villages)
        created += 1
    return created


def _seed_households(rng: random.Random, deputy: Deputy, villages: list[Village]) -> None:
    home = deputy.village
    neighbours = [v for v in villages if v.area_id == home.area_id]
    households = []
    for index in range(rng.randint(10, 14)):
        village = home if index < 6 else rng.choice(neighbours)
        households.append(LiaisonHousehold(
            township_id=deputy.township_id, deputy=deputy, village=village,
            head=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
            phone=f"15{rng.randint(0, 9)}{deputy.pk % 10000:04d}{index:02d}{rng.randint(10, 99)}",
            address=f"{village.name}{rng.randint(1, 120)}号",
        ))
    LiaisonHousehold.objects.bulk_create(households)


def link_demo_deputy_account(user) -> None:
    """The demo deputy login is the deputy from the news report who photographed the dumped bottles."""
    Deputy.objects.filter(name="王智慧", user__isnull=True).update(user=user)

"""Demo data with the Baita figures (docs/demo-data.md): 98 deputies, 1 station, 5 points, 6 rooms.

Deterministic (fixed random seed) and idempotent: every row is looked up by a
natural key first, so running it twice adds nothing twice.
"""

import random

from django.core.files.base import ContentFile
from django.db import transaction

from deputies.models import Area, Deputy, LiaisonHousehold, Site, Village
from deputies.portraits import portrait_jpeg
from deputies.services import public_record_save

AREAS = {
    "白塔片区": ["白塔村", "白塔社区", "上街村", "下街村", "岭下村"],
    "高迁片区": ["高迁村", "上王村", "下洋村", "东岙村", "溪头村"],
    "厚仁片区": ["厚仁村", "枫林村", "坑口村", "南峰村"],
    "大路片区": ["大路村", "新桥村", "塘头村", "桥头村", "西岸村"],
    "前王片区": ["前王村", "山下村", "北山村", "滨溪社区"],
}
LEVEL_COUNTS = [(Deputy.Level.CITY, 5), (Deputy.Level.COUNTY, 18), (Deputy.Level.TOWNSHIP, 75)]
# Deputies named in the news report, kept so the demo tells its stories.
KNOWN = [
    ("吴立新", Deputy.Level.CITY, "白塔镇企业家协会会长", "M"),
    ("吴仁贵", Deputy.Level.COUNTY, "白塔镇人大代表联络站站长", "M"),
    ("王智慧", Deputy.Level.TOWNSHIP, "白塔村党支部书记", "F"),
]
SURNAMES = "王李张陈吴朱徐林周应郑胡金杨蒋潘曹何许郭方邵"
GIVEN = "立新仁贵智慧建国海燕志强丽华国平小红明华伟军秀英永康美玲春林文斌建华雪芳晓东学军玉兰宏伟"
POSTS = [
    "{village}党支部书记", "{village}村委会主任", "{village}妇联主席", "{village}监委会主任",
    "仙居县白塔镇中心小学教师", "白塔镇卫生院医生", "仙居县杨梅专业合作社理事长", "白塔镇农业综合服务中心干部",
    "仙居县神仙居旅游有限公司经理", "仙居县白塔工艺品有限公司总经理", "个体工商户", "民宿经营户",
    "葡萄种植大户", "白塔镇综合行政执法队队员", "退休教师", "白塔镇派出所民警",
]
STATION = "白塔镇人大代表联络站"


def _rng() -> random.Random:
    return random.Random(20220808)


@transaction.atomic
def seed_places() -> tuple[list[Village], list[Site]]:
    villages = []
    for position, (area_name, village_names) in enumerate(AREAS.items()):
        area, _ = Area.objects.get_or_create(name=area_name, defaults={"position": position})
        for name in village_names:
            kind = Village.Kind.COMMUNITY if name.endswith("社区") else Village.Kind.VILLAGE
            village, _ = Village.objects.get_or_create(name=name, defaults={"area": area, "kind": kind})
            villages.append(village)
    specs = [(STATION, Site.Kind.STATION, None, "白塔镇人民政府一楼", "0576-87810001")]
    for number, area in enumerate(Area.objects.all(), start=1):
        specs.append((f"{area.name}代表联络点", Site.Kind.POINT, area, f"{area.name[:2]}村文化礼堂", f"0576-8781{number:04d}"))
    for number, village in enumerate(villages[::4][:6], start=1):
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


def _deputy_specs(rng: random.Random, villages: list[Village]) -> list[dict]:
    used = {name for name, *_ in KNOWN}
    specs = []
    for level, count in LEVEL_COUNTS:
        known = [k for k in KNOWN if k[1] == level]
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
                          "post": post.format(village=village.name)})
    return specs


@transaction.atomic
def seed_deputies(villages: list[Village], sites: list[Site]) -> int:
    """Create the 98 deputies with portraits and 10–14 liaison households each. Returns how many were new."""
    rng = _rng()
    station = sites[0]
    point_by_area = {s.area_id: s for s in sites if s.kind == Site.Kind.POINT}
    rooms = [s for s in sites if s.kind == Site.Kind.ROOM]
    created = 0
    for number, spec in enumerate(_deputy_specs(rng, villages)):
        mobile = f"13{rng.randint(5, 9)}{number:04d}{rng.randint(1000, 9999)}"
        if spec["level"] == Deputy.Level.CITY:
            site = station
        elif spec["level"] == Deputy.Level.COUNTY:
            site = rooms[number % len(rooms)]
        else:
            site = point_by_area[spec["village"].area_id]
        biography = (f"{spec['name']}，{spec['post']}。长期扎根基层，"
                     f"联系{spec['village'].name}民情联络户，热心为群众办实事。")
        if Deputy.objects.filter(mobile=mobile).exists():
            continue
        deputy = Deputy(
            **spec, mobile=mobile, site=site, biography=biography,
            organisation=spec["village"].name if "村" in spec["post"] else "",
            office_phone=f"0576-8779{number:04d}", publish_mobile=number % 5 == 0,
            constituency=f"白塔镇第{spec['village'].area.position + 1}选区",
            term={3: "台州市第六届人大代表", 4: "仙居县第十七届人大代表", 5: "白塔镇第十八届人大代表"}[spec["level"]],
        )
        deputy.photo.save(f"demo-{number:03d}.jpg", ContentFile(portrait_jpeg(spec["name"], seed=number)), save=False)
        public_record_save(record=deputy)
        _seed_households(random.Random(number), deputy, villages)
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

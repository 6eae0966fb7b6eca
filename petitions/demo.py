"""A year of one township's demo concerns and receptions over all channels, categories, villages and states.

Built through the real services, so every case has a true timeline; the
timestamps are then moved back to when the demo says it happened. Deterministic
and idempotent: it does nothing if demo concerns already exist.
"""

import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from deputies.models import Deputy, Site, Village
from liaison.calendar import add_working_days
from liaison.models import Membership
from liaison.outbox import notifications_muted
from petitions import workflow
from petitions.messages import auto_close_note, hold_note
from petitions.models import Category, Concern, ConcernEvent, Constituent, Reception, Unit
from petitions.services import (
    concern_assign,
    concern_merge,
    concern_rate,
    concern_resolve,
    concern_submit,
    concern_transition,
    constituent_get_or_create,
)

# Each township's departments, named after it (白塔镇农业农村办公室), with the last digits of the duty
# mobile their notices go to.
DEPARTMENTS = [("农业农村办公室", 1), ("村镇建设办公室", 2), ("综合行政执法队", 3), ("社会事务办公室", 4),
               ("经济发展办公室", 5), ("平安建设办公室", 6)]
# name, default department (None: the village's cadre team), deadline in working days, sample concerns
CATEGORIES = [
    ("环境卫生", None, 5, ["家门口葡萄园堆放的枝叶和垃圾长期无人清理，夏天蚊蝇多，影响全家生活。",
                         "滩林里有人倾倒空农药瓶，污染河道，请尽快清理。", "村口垃圾桶满了好几天没人清运。",
                         "养殖场污水直排小溪，下游气味很大。", "公厕长期无人打扫，卫生状况差。",
                         "溪边有人焚烧秸秆，烟很大。"]),
    ("道路交通", "村镇建设办公室", 10, ["村道上的窨井盖下沉破损，晚上骑电瓶车很危险。",
                                     "省道穿村路段的路口缺少减速带，车速太快。", "村里路灯坏了三盏，晚上出行不便。",
                                     "学校门口缺少斑马线和交通标志。", "村道路面开裂积水，雨天无法通行。",
                                     "公交站台没有遮雨棚，老人等车很辛苦。"]),
    ("农业生产", "农业农村办公室", 10, ["杨梅种植户希望镇里组织病虫害防治培训。",
                                     "灌溉水渠堵塞，农田缺水。", "葡萄滞销，希望帮助对接销售渠道。",
                                     "野猪下山毁坏庄稼，希望组织防控。", "农机补贴申请流程不清楚。"]),
    ("民生保障", "社会事务办公室", 7, ["独居老人的低保申请进度想了解一下。",
                                    "希望村里增设老年食堂。", "残疾人补贴没有按时到账。",
                                    "村卫生室医生只有上午在，看病不方便。", "希望增加幼儿园托育名额。"]),
    ("营商环境", "经济发展办公室", 10, ["企业反映用工招聘难，希望镇里搭建对接平台。",
                                     "民宿审批手续多、跑的部门多，希望简化。", "工业园区道路货车通行不畅。"]),
    ("治安安全", "平安建设办公室", 3, ["河边游泳区缺少警示牌，暑假孩子多。",
                                    "夜间有人在村道飙车，噪音大也危险。"]),
    ("政策咨询", "社会事务办公室", 3, ["想了解农村宅基地建房审批政策。", "医保缴费标准今年有什么变化？"]),
]
CHANNEL_WEIGHTS = [("qr", 30), ("walk_in", 25), ("phone", 10), ("visit", 10), ("household", 10), ("patrol", 8),
                   ("online", 4), ("enterprise", 3)]
SURNAMES = "王李张陈吴朱徐林周应郑胡金杨蒋潘"
GIVEN = "西荣建国秀英海燕志强丽华国平小红明华伟军美玲春林文斌雪芳"


@transaction.atomic
def seed_setup(township) -> tuple[list[Unit], list[Category]]:
    """The township's departments, one cadre team per village, and categories (the holiday calendar
    comes with the migrations). Duty mobiles differ by township: 1390576 + its number + the unit's."""
    block = township.pk % 10
    units = [Unit.objects.get_or_create(name=f"{township.name}{name}", defaults={
        "kind": Unit.Kind.DEPARTMENT, "phone": f"1390576{block}{number:03d}"})[0] for name, number in DEPARTMENTS]
    for number, village in enumerate(Village.objects.all(), start=100):
        units.append(Unit.objects.get_or_create(
            name=f"{village.name}驻村干部组",
            defaults={"kind": Unit.Kind.VILLAGE_TEAM, "village": village, "phone": f"1390576{block}{number:03d}"},
        )[0])
    by_name = {u.name.removeprefix(township.name): u for u in units}
    categories = [
        Category.objects.get_or_create(name=name, defaults={
            "default_unit": by_name.get(department), "deadline_days": days, "position": position})[0]
        for position, (name, department, days, _samples) in enumerate(CATEGORIES)
    ]
    return units, categories


def _scene(rng: random.Random) -> ContentFile:
    """A stand-in photo for a patrol report: ground, sky and a few dumped objects."""
    image = Image.new("RGB", (800, 600), rng.choice(["#8a9a6b", "#7b8d5c", "#9c8f6e"]))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 220), fill=rng.choice(["#b9cde0", "#c9d6e3", "#aebfcf"]))
    for _ in range(rng.randint(4, 9)):
        x, y = rng.randint(40, 740), rng.randint(260, 560)
        draw.rounded_rectangle((x, y, x + rng.randint(18, 40), y + rng.randint(40, 80)), radius=6,
                               fill=rng.choice(["#e8e8e8", "#3f7f3f", "#d2d24b", "#5a7fb5"]))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name="patrol.jpg")


def _person(rng: random.Random) -> tuple[str, str]:
    return (rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
            f"1{rng.choice('35789')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}")


def _backdate(concern: Concern, start: datetime.datetime, steps: list[float]) -> None:
    """Move the concern's timeline back to `start`; the n-th move happens after the first n `steps` days."""
    moment, offsets = start, [start]
    for gap in steps:
        moment += datetime.timedelta(days=gap)
        local = timezone.localtime(moment)
        if not 8 <= local.hour < 18:  # people act in office hours: move night-time steps to the next morning
            next_morning = local.date() + datetime.timedelta(days=1 if local.hour >= 18 else 0)
            moment = timezone.make_aware(datetime.datetime.combine(next_morning, datetime.time(8, local.minute)))
        offsets.append(moment)
    events = list(concern.events.order_by("created_at", "pk"))
    times, transitions, when = [], 0, start
    for event in events:
        if event.kind == ConcernEvent.Kind.TRANSITION:
            when = offsets[min(transitions, len(offsets) - 1)]
            transitions += 1
        else:
            when += datetime.timedelta(minutes=1)  # a rating or comment just before the move it caused
        times.append(when)
    # Steps counted in days (and pushed to office hours) can land after now for a case filed
    # yesterday evening: squeeze the tail back before now, keeping the order.
    latest = timezone.now()
    for index in reversed(range(len(times))):
        times[index] = latest = min(times[index], latest)
        latest -= datetime.timedelta(minutes=1)
    for event, when in zip(events, times):
        ConcernEvent.objects.filter(pk=event.pk).update(created_at=when)
    concern.refresh_from_db()
    fields = {"created_at": times[0], "updated_at": times[-1]}
    if concern.resolved_at:
        fields["resolved_at"] = concern.events.filter(to_status=Concern.Status.RESOLVED).latest("created_at").created_at
    if concern.closed_at:
        fields["closed_at"] = times[-1]
    if concern.first_response_at:
        fields["first_response_at"] = next(
            when for event, when in zip(events, times)
            if event.actor_role not in (workflow.CONSTITUENT, workflow.SYSTEM)
            and (event.from_status == Concern.Status.SUBMITTED or event.kind == ConcernEvent.Kind.PROGRESS))
    Concern.objects.filter(pk=concern.pk).update(**fields)


def _life(rng, concern, *, deputy_user, official, handler_for, start, today) -> None:
    """Walk one concern along a plausible path; where it stops depends on its age and chance."""
    age = (today - start.date()).days
    unit = concern.category.default_unit or Unit.objects.filter(village=concern.village).first()
    actor_role = (deputy_user, workflow.DEPUTY) if concern.deputy and concern.deputy.user_id else (official, workflow.OFFICIAL)
    roll = rng.random()
    steps: list[float] = []
    if roll < 0.04 and age > 3:
        concern_transition(concern=concern, action="reject", actor=official, role=workflow.OFFICIAL,
                           note="不属于本镇职权范围，已告知向县相关部门反映。", result="不属于本镇职权范围，已告知向县相关部门反映。")
        return _backdate(concern, start, [1])
    if roll < 0.08 and age > 3:
        original = Concern.objects.filter(category=concern.category, status__in=["assigned", "in_progress", "resolved",
                                                                                  "closed"]).exclude(pk=concern.pk).first()
        if original:
            concern_merge(concern=concern, into=original, actor=official, role=workflow.OFFICIAL)
            return _backdate(concern, start, [1])
    if roll < 0.2 and concern.category.name == "政策咨询" and age > 2:
        concern_resolve(concern=concern, result="已电话答复相关政策，并告知办理窗口。", outcome=Concern.Outcome.EXPLAINED,
                        actor=actor_role[0], role=actor_role[1])
        concern_rate(concern=concern, satisfaction=rng.choice(["satisfied", "basic"]))
        return _backdate(concern, start, [1, 2])
    if age < 1:
        return _backdate(concern, start, [])
    concern_transition(concern=concern, action="accept", actor=actor_role[0], role=actor_role[1])
    if age < 3 and rng.random() < 0.5:
        return _backdate(concern, start, [0.2])  # accepted, not yet forwarded
    deadline = add_working_days(start.date(), concern.category.deadline_days)
    concern_assign(concern=concern, unit=unit, deadline_on=deadline, actor=actor_role[0], role=actor_role[1],
                   note="请按期办理并反馈。")
    steps += [0.2, 0.5]
    handler = handler_for(unit)
    if age < 3 or (deadline < today and rng.random() < 0.25 and age < 60):
        return _backdate(concern, start, steps)  # waiting, some of them overdue
    concern_transition(concern=concern, action="start", actor=handler, role=workflow.HANDLER)
    steps.append(1)
    if age < 6:
        return _backdate(concern, start, steps)
    outcome = Concern.Outcome.FIXED if rng.random() < 0.8 else rng.choice([Concern.Outcome.EXPLAINED,
                                                                          Concern.Outcome.NOT_FEASIBLE])
    result = {Concern.Outcome.FIXED: "已到现场处理完毕，问题已解决。",
              Concern.Outcome.EXPLAINED: "已向群众当面解释相关政策和情况。",
              Concern.Outcome.NOT_FEASIBLE: "需列入明年项目统筹解决，已向群众说明。"}[outcome]
    concern_resolve(concern=concern, result=result, outcome=outcome, actor=handler, role=workflow.HANDLER)
    steps.append(rng.choice([1, 2, 3, 5]))
    if age < 12:
        return _backdate(concern, start, steps)
    if rng.random() < 0.07:
        concern_rate(concern=concern, satisfaction="unsatisfied", comment="问题没有彻底解决，又反复了。")
        steps.append(1)
        if rng.random() < 0.5 or age < 25:
            return _backdate(concern, start, steps)  # reopened, back with the handler
        concern_resolve(concern=concern, result="再次到现场整改，已彻底解决。", outcome=Concern.Outcome.FIXED,
                        actor=handler, role=workflow.HANDLER)
        steps.append(3)
    if rng.random() < 0.85:
        concern_rate(concern=concern, satisfaction=rng.choice(["satisfied"] * 4 + ["basic"]))
    else:
        concern_transition(concern=concern, action="close", role=workflow.SYSTEM, note=auto_close_note(concern.township))
    steps.append(2)
    _backdate(concern, start, steps)


def seed_concerns(
    township, *, count: int = 300, receptions: int = 600, seed: int = 20220808, official=None, deputy_user=None,
    handler=None, handler_units: tuple[str, ...] = (),
) -> int:
    """Create `count` concerns over the last year and `receptions` walk-in records in `township` (the scope
    active now). The demo accounts given work the cases: `official` takes them up, `deputy_user` answers
    those of their deputy, `handler` sits in `handler_units`; every other unit gets an account of its own.
    Returns concerns made."""
    if Concern.objects.filter(submission_key__startswith="demo-").exists():
        return 0
    rng = random.Random(seed)
    _units, categories = seed_setup(township)
    for name in handler_units:
        Unit.objects.get(name=name).members.add(handler)
    handler_for = _unit_handlers(township)
    deputies = list(Deputy.objects.filter(is_active=True))
    own = [d for d in deputies if d.user_id]
    villages = list(Village.objects.all())
    station = Site.objects.filter(kind=Site.Kind.STATION).first()
    channels = [c for c, w in CHANNEL_WEIGHTS for _ in range(w)]
    today = timezone.localdate()
    made = []
    with notifications_muted():  # a year of demo cases must not text or e-mail anyone
        for number in range(count):
            days_ago = int(365 * (1 - (number / count)) ** 1.3)  # more recent concerns than old ones
            start = timezone.make_aware(datetime.datetime.combine(
                today - datetime.timedelta(days=days_ago), datetime.time(rng.randint(8, 19), rng.randint(0, 59))))
            # Today's cases were filed before now, not later today (the QR channel is open at night too).
            if start > timezone.now():
                start = timezone.now() - datetime.timedelta(minutes=rng.randint(5, 180))
            category = rng.choice(categories)
            text = rng.choice(CATEGORIES[categories.index(category)][3])
            deputy = rng.choice(own) if own and rng.random() < 0.15 else rng.choice(deputies)
            name, mobile = _person(rng)
            channel = rng.choice(channels)
            village = deputy.village if rng.random() < 0.6 and deputy.village else rng.choice(villages)
            with transaction.atomic():
                reception = None
                if channel == "walk_in" and station:
                    # A walk-in concern comes from a reception at the desk, as in the register.
                    reception = Reception.objects.create(
                        received_on=start.date(), site=station, village=village, matters=text,
                        constituent=constituent_get_or_create(township=station.township, mobile=mobile, name=name,
                                                              village=village),
                        answer="已记录，转交相关单位办理。", satisfaction="satisfied",
                    )
                    reception.deputies.add(deputy)
                concern, _ = concern_submit(
                    channel=channel, category=category, content=text, village=village, deputy=deputy,
                    site=station if channel == "walk_in" else None, is_public=rng.random() < 0.6,
                    mobile="" if channel == "patrol" else mobile, name=name, reception=reception,
                    submission_key=f"demo-{township.code}-{number}",  # unique across the county
                    submitted_by=deputy.user if channel == "patrol" and deputy.user_id else None,
                    photos=[_scene(rng)] if channel == "patrol" else [],
                )
                _life(rng, concern, deputy_user=deputy_user, official=official, handler_for=handler_for,
                      start=start, today=today)
            made.append(concern.pk)
        _seed_held(categories[0], own[0] if own else deputies[0], official)
    _seed_receptions(rng, receptions, station, deputies, villages, today)
    return len(made)


def _seed_held(category, deputy, official) -> None:
    """Two advertisements sent through a deputy's form by a program: one waits on the held list, one was
    discarded. Not cases: no figure counts them. Made without the random numbers, so every other demo
    row stays as it was."""
    code = category.township.code
    for number, action in enumerate([None, "discard"]):
        concern, _created = concern_submit(
            channel=Concern.Channel.QR, category=category, deputy=deputy, mobile=f"1700000000{number}",
            name="王经理", content="代开各类发票，正规可查，价格优惠。",
            submission_key=f"demo-{code}-held-{number}", held_because=hold_note("hidden_field"),
        )
        if action:
            concern_transition(concern=concern, action=action, actor=official, role=workflow.OFFICIAL)


def _unit_handlers(township):
    """Who works a unit's cases: its first member, or an account made for it (no password: nobody logs in)."""
    User = get_user_model()
    handlers = {}

    def handler_for(unit: Unit):
        if unit.pk not in handlers:
            member = unit.members.first()
            if member is None:
                member, _ = User.objects.get_or_create(username=f"unit{unit.pk}", defaults={"first_name": unit.name})
                Membership.objects.get_or_create(user=member, defaults={"township": township})
                unit.members.add(member)
            handlers[unit.pk] = member
        return handlers[unit.pk]

    return handler_for


def _seed_receptions(rng, count, station, deputies, villages, today) -> None:
    """Walk-in records on duty days (7th and 21st) and weekdays, most answered on the spot."""
    if station is None or Reception.objects.filter(concerns__isnull=True).exists():
        return
    answers = ["已当场解释政策，来访人表示理解。", "已记录并转交相关单位办理。", "已联系驻村干部上门了解情况。"]
    matters = [c[3][0] for c in CATEGORIES] + ["咨询代表联络站开放时间和坐班安排。", "反映村里文化礼堂活动少。"]
    rows = []
    for number in range(count):
        day = today - datetime.timedelta(days=int(rng.random() * 365))
        name, mobile = _person(rng)
        village = rng.choice(villages)
        constituent, _ = Constituent.objects.get_or_create(mobile=mobile, defaults={"name": name, "village": village})
        rows.append(Reception(
            township=station.township, received_on=day, site=station, constituent=constituent, village=village,
            visitor_count=rng.choice([1, 1, 1, 2, 3]), matters=rng.choice(matters), answer=rng.choice(answers),
            satisfaction=rng.choice(["satisfied"] * 6 + ["basic"] * 3 + ["unsatisfied"]),
        ))
    created = Reception.objects.bulk_create(rows, batch_size=500)
    on_duty = Reception.deputies.through
    on_duty.objects.bulk_create(
        [on_duty(reception_id=r.pk, deputy_id=d.pk) for r in created for d in rng.sample(deputies, 2)],
        batch_size=1000,
    )

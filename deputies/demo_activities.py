"""Demo activities (docs/demo-data.md): a year of the deputies' activities of every kind, some with photos,
enterprise visits with the opinions gathered, and two reports to voters with the voters' ratings.

Deterministic (a fixed seed) and idempotent: a township that has activities already gets none added.
Works in the township scope active now. Turning an opinion into a concern is petitions' (the seeding
command does it with petitions.opinions), as this app may not import petitions.
"""

import datetime
import io
import random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from deputies.activities import activity_record, report_to_voters_record
from deputies.models import Activity, Deputy, EnterpriseOpinion

K = Activity.Kind
# (kind, title, place, summary): {village} is filled in per activity.
PLANS = [
    (K.GROUP_ACTIVITY, "代表小组集中活动", "{village}村委会", "小组代表交流近期收集的民情，商定下阶段走访安排。"),
    (K.GROUP_ACTIVITY, "代表小组议事会", "{village}文化礼堂", "围绕村庄环境整治听取村民意见。"),
    (K.CONTACTING_VOTERS, "走访联系选民", "{village}", "入户走访联络户，了解生产生活困难。"),
    (K.CONTACTING_VOTERS, "进村入户听民意", "{village}", "听取村民对道路、饮水、养老的意见。"),
    (K.STUDY_TRAINING, "代表履职能力培训", "镇政府三楼会议室", "学习代表法和议案建议撰写要点。"),
    (K.STUDY_TRAINING, "专题学习会", "人大代表联络站", "学习县人代会精神。"),
    (K.INSPECTION, "视察农村公路建设", "{village}", "查看公路硬化和安全防护设施，提出整改建议。"),
    (K.INSPECTION, "调研杨梅产业发展", "{village}", "了解杨梅种植、销售和冷链情况。"),
    (K.DUTY_RECEPTION, "代表进站接待选民", "人大代表联络站", "接待来访群众，现场解答医保、低保政策。"),
    (K.DUTY_RECEPTION, "联络站接待日", "人大代表联络站", "集中接待选民，登记反映事项。"),
]
ENTERPRISES = [
    ("白塔葡萄专业合作社", ["希望修通通往葡萄园的机耕路，方便运输。", "采摘季用工难，希望帮助对接劳动力。"]),
    ("仙居工艺品有限公司", ["厂区门口路段夜间无路灯，工人下班不安全。", "希望简化出口退税办理流程。"]),
]


def _photo(rng: random.Random, label: int) -> ContentFile:
    """A stand-in photo: a room or a field with a few people-shaped blocks."""
    image = Image.new("RGB", (800, 600), rng.choice(["#d9cbb0", "#c8d5b9", "#e3d7c3"]))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 180), fill=rng.choice(["#b53d3d", "#a3c4dc", "#f0e6d2"]))
    for n in range(rng.randint(3, 7)):
        x = 60 + n * 100 + rng.randint(-15, 15)
        draw.ellipse((x, 300, x + 44, 344), fill="#4a3b2f")
        draw.rounded_rectangle((x - 8, 348, x + 52, 470), radius=10, fill=rng.choice(["#2f4f7f", "#555", "#7a2f2f"]))
    draw.text((20, 560), f"#{label}", fill="#333")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name="activity.jpg")


@transaction.atomic
def seed_activities(township, *, recorded_by=None, seed: int = 9) -> list[EnterpriseOpinion]:
    """Activities over the past year for the township's deputies; returns the enterprises' opinions recorded
    now (the caller may raise concerns from some), or [] when the township had activities already."""
    if Activity.objects.exists():
        return []
    rng = random.Random(seed)
    deputies = list(Deputy.objects.filter(is_active=True).select_related("village").order_by("pk"))
    if len(deputies) < 3:
        return []
    today = timezone.localdate()
    photos = 0
    for n in range(36):
        kind, title, place, summary = PLANS[n % len(PLANS)]
        taking_part = rng.sample(deputies, rng.randint(1, min(4, len(deputies))))
        village = taking_part[0].village.name if taking_part[0].village else township.name
        with_photos = n % 4 == 0
        activity_record(
            kind=kind, held_on=today - datetime.timedelta(days=rng.randint(1, 360)), title=title,
            place=place.format(village=village), summary=summary, deputies=taking_part,
            is_public=n % 7 != 3, photos=[_photo(rng, photos + i) for i in range(2)] if with_photos else [],
            recorded_by=recorded_by)
        photos += 2 if with_photos else 0
    opinions = []
    for n, (enterprise, texts) in enumerate(ENTERPRISES):
        visit = activity_record(
            kind=K.ENTERPRISE_VISIT, held_on=today - datetime.timedelta(days=30 + 90 * n), title=f"走访{enterprise}",
            place=township.name, enterprise=enterprise, summary="听取企业生产经营情况和意见建议。",
            deputies=deputies[:2] if n == 0 else deputies[2:4], photos=[_photo(rng, 100 + n)], opinions=texts,
            recorded_by=recorded_by)
        opinions += list(visit.opinions.all())
    for n, deputy in enumerate(deputies[:2]):
        present = 40 + 12 * n
        satisfied = present - 6 - n
        report_to_voters_record(
            deputy=deputy, held_on=today - datetime.timedelta(days=60 + 150 * n),
            place=f"{deputy.village.name if deputy.village else township.name}文化礼堂", voters_present=present,
            report="一年来，围绕道路、饮水、产业发展等群众关心的事项履职，收集意见建议并跟踪办理。",
            satisfied=satisfied, basically_satisfied=5, dissatisfied=1 + n, photos=[_photo(rng, 200 + n)],
            recorded_by=recorded_by)
    return opinions

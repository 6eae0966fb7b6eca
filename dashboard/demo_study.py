"""Demo study materials (docs/demo-data.md): Baita's three categories, ten materials over the past months (one a
draft, two for deputies only with some deputies' read receipts, one with a PDF file).

Idempotent: a township that has study materials already gets none added. Works in the township scope active now.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dashboard.models import StudyCategory, StudyMaterial, StudyReadReceipt
from dashboard.study import study_material_create, study_material_open
from deputies.models import Deputy

A = StudyMaterial.Audience
CATEGORIES = ["代表法解读", "履职指南", "政策文件"]

# (category, title, audience, published days ago (None: a draft), paragraphs)
MATERIALS = [
    ("代表法解读", "代表法修正要点解读", A.PUBLIC, 150, [
        "《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》是代表依法履职的基本遵循。本次修正进一步明确了代表的权利和义务，"
        "强调代表要密切联系人民群众，听取和反映群众的意见和要求。",
        "修正后的代表法对代表在闭会期间的活动作出了更加具体的规定：代表应当通过多种方式经常听取和反映原选区选民或者原选举单位的意见和要求，"
        "参加代表小组活动，开展视察和专题调研。",
        "各级人大常委会和乡镇人大主席团应当为代表履职提供保障，代表联络站是代表联系群众的重要平台。",
    ]),
    ("代表法解读", "代表的权利和义务", A.PUBLIC, 120, [
        "代表享有出席本级人民代表大会会议、提出议案和建议、参加各项选举和表决、获得履职所需信息等权利。",
        "代表应当模范遵守宪法和法律，保守国家秘密，按时出席会议，与原选区选民保持密切联系，自觉接受原选区选民的监督。",
    ]),
    ("代表法解读", "闭会期间代表怎样开展活动", A.PUBLIC, 90, [
        "闭会期间，代表以集中活动为主，以代表小组活动为基本形式。代表可以参加视察、专题调研、执法检查，列席本级人大常委会会议。",
        "代表应当定期进站接待选民，参加联络站组织的主题活动，把群众反映的问题记录下来，跟踪办理结果，做到件件有回音。",
    ]),
    ("履职指南", "联络站坐班接待工作流程", A.PUBLIC, 75, [
        "每月7日、21日为代表进站接待日。接待代表应当提前到站，佩戴代表证，在接待登记簿上签到。",
        "接待时应当认真听取来访群众的意见，如实登记反映事项、联系方式和诉求；能够当场答复的当场答复，不能当场答复的，交联络站工作人员转办。",
        "接待结束后，代表应当在履职日记中记录接待情况；联络站工作人员跟踪办理进度，并在十个工作日内向来访群众反馈。",
    ]),
    ("履职指南", "如何提出一件高质量的代表建议", A.DEPUTIES, 60, [
        "一件建议只提一件事。建议的题目要简明，写清楚反映的问题、原因分析和具体的解决办法。",
        "提出建议前要深入调查研究，多听取群众和有关部门的意见，必要时可以邀请其他代表联名。",
        "建议办理答复后，代表要认真审阅答复内容，如实填写满意度；对不满意的，可以要求承办单位重新办理。",
    ]),
    ("履职指南", "走访民情联络户工作指引", A.PUBLIC, 45, [
        "每位代表联系十户以上民情联络户，每季度至少走访或电话联系一次，了解家庭生产生活情况。",
        "走访时要记录联络户反映的问题，需要办理的，在系统中登记为社情民意，由联络站统一转办。",
    ]),
    ("履职指南", "代表述职评议操作手册", A.DEPUTIES, 30, [
        "代表每届任期内至少向原选区选民述职一次。述职前应当准备书面报告，内容包括参加会议、提出建议、联系选民和办理实事的情况。",
        "述职会上，选民现场评议，分满意、基本满意、不满意三档；联络站工作人员当场计票，并将结果记入代表履职档案。",
    ]),
    ("政策文件", "仙居县民生实事项目人大代表票决制实施办法", A.PUBLIC, 200, [
        "民生实事项目由政府广泛征集、科学筛选后提出候选项目，提交人民代表大会会议票决，候选项目数应当多于拟确定的项目数。",
        "票决产生的项目由政府组织实施，人大代表全程参与监督，年底对项目实施情况进行满意度测评。",
    ]),
    ("政策文件", "关于加强代表联络站建设的意见", A.PUBLIC, 15, [
        "代表联络站要做到有场所、有制度、有活动、有实效，实行代表定期进站、群众意见限时办理、办理结果及时反馈。",
        "推进数字化建设，开通掌上联络站，让群众随时随地能找到代表、反映诉求、查询办理进度。",
    ]),
    ("政策文件", "数字化履职平台使用说明（征求意见稿）", A.PUBLIC, None, [
        "本说明介绍掌上联络站、代表工作台和数字驾驶舱的主要功能，征求代表和工作人员意见后正式发布。",
    ]),
]
WITH_PDF = "联络站坐班接待工作流程"
# Deputies-only title: how many deputies have opened it (the demo deputy account among them: True/False).
READERS = {"如何提出一件高质量的代表建议": (24, True), "代表述职评议操作手册": (6, False)}


def _pdf(title: str, paragraphs: list[str]) -> ContentFile | None:
    """A one-page PDF of the material, made with WeasyPrint (the image window's PDF library); None if it cannot
    (the demo then has the text only)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError):
        return None
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    document = HTML(string=f'<html lang="zh-Hans"><body><h1>{title}</h1>{html}</body></html>').write_pdf()
    return ContentFile(document, name="material.pdf")


@transaction.atomic
def seed_study(township, *, published_by=None) -> int:
    """Baita's study materials in `township` (its scope active); returns how many were made (0 if it had some)."""
    if StudyMaterial.objects.exists():
        return 0
    categories = {name: StudyCategory.objects.create(township=township, name=name, position=n * 10)
                  for n, name in enumerate(CATEGORIES, start=1)}
    now = timezone.now()
    made = {}
    for category, title, audience, days_ago, paragraphs in MATERIALS:
        material = study_material_create(
            category=categories[category], title=title, audience=audience, body="\n\n".join(paragraphs),
            pdf=_pdf(title, paragraphs) if title == WITH_PDF else None, is_published=days_ago is not None,
            by=published_by)
        if days_ago is not None:  # spread over the past months, as staff would have published them
            day = timezone.localtime(now - datetime.timedelta(days=days_ago))
            StudyMaterial.objects.filter(pk=material.pk).update(published_at=day.replace(hour=9, minute=30))
            material.refresh_from_db()
        made[title] = material
    deputies = list(Deputy.objects.filter(is_active=True).exclude(user__username="deputy").order_by("pk"))
    demo_deputy = Deputy.objects.filter(user__username="deputy").first()
    for title, (count, with_demo_deputy) in READERS.items():
        material = made[title]
        readers = deputies[:count - 1] + [demo_deputy] if with_demo_deputy and demo_deputy else deputies[:count]
        for n, deputy in enumerate(readers):
            study_material_open(material=material, deputy=deputy)
            opened = material.published_at + datetime.timedelta(hours=3 + 7 * n)
            StudyReadReceipt.objects.filter(material=material, deputy=deputy).update(opened_at=min(opened, now))
    return len(made)

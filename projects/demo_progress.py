"""How far Baita's 8 demo projects have got (issue 10): milestones with photos drawn here (small JPEGs), the
supervising deputies' comments with the units' answers (the newest one not answered yet), and the deputies'
year-end rating of the two finished projects, published. Built through the real services, then the times moved
back to when the demo says it happened. Deterministic (a seeded random); does nothing twice."""

import datetime
import io
import random

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from deputies.models import Deputy
from liaison import roles
from projects import progress
from projects.models import LivelihoodProject, Milestone, SupervisionComment, YearEndRating

# title, progress once reached
STEPS = [("方案设计和立项审批", 10), ("招投标完成，施工单位进场", 25), ("开工建设", 40), ("主体工程完工", 75),
         ("竣工验收，交付使用", 100)]
# How many steps each project (most votes first) has reached: two finished, several mid-way, the last not started.
REACHED = [5, 5, 4, 3, 3, 2, 1, 0]
NOTES = ["设计方案通过评审，项目已立项。", "施工单位已进场，安全措施到位。", "现场文明施工，质量监理全程跟踪。",
         "主体完工，正在进行附属设施施工。", "经镇村两级验收合格，已投入使用。"]
COMMENTS = [
    ("现场查看了施工情况，建议在村民出行高峰时段加强交通疏导，设置明显的警示标志。",
     "已在施工路段增设警示标志和临时便道，并安排专人在早晚高峰疏导。"),
    ("部分群众反映施工噪声影响休息，建议合理安排作业时间。",
     "已调整作业时间，晚上八点后和中午不再进行高噪声作业。"),
    ("建议公开工程进度和资金使用情况，接受群众监督。",
     "已在村务公开栏和项目现场公示进度和资金使用情况，每月更新。"),
]
GRADES = [(YearEndRating.Grade.SATISFIED, 0.78), (YearEndRating.Grade.BASICALLY, 0.15),
          (YearEndRating.Grade.UNSATISFIED, 0.04), (YearEndRating.Grade.ABSTAIN, 0.03)]


def seed_progress(township, *, recorded_by, seed: int = 20260310) -> int:
    """The projects of `township` (its scope active) at various progress. Returns the milestones made (0 when
    the township's projects have milestones already, or it has no projects)."""
    projects = list(LivelihoodProject.objects.select_related("session", "responsible_unit").order_by("-votes", "pk"))
    if not projects or Milestone.objects.exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    _demo_deputy_supervises(projects[2:3])
    voters = list(Deputy.objects.filter(level=Deputy.Level.TOWNSHIP, is_active=True).select_related("user")
                  .order_by("pk"))
    made = 0
    for n, project in enumerate(projects):
        reached = REACHED[n] if n < len(REACHED) else 0
        if reached and project.actual_start is None:
            project.actual_start = project.planned_start or today - datetime.timedelta(days=150)
            project.save(update_fields=["actual_start", "updated_at"])
        made += _milestones(project, reached, rng, today, recorded_by)
        if reached:
            _comments(project, reached, rng, today, recorded_by)
        if project.is_finished:
            _ratings(project, voters, rng, recorded_by)
    return made


def _demo_deputy_supervises(projects) -> None:
    """The demo deputy's login supervises a project under way: their phone has a comment to write."""
    own = Deputy.objects.filter(user__username="deputy").first()
    for project in projects:
        supervisors = list(project.supervisors.order_by("pk"))
        if own is not None and own not in supervisors:
            project.supervisors.set([*supervisors[:2], own])


def _between(start: datetime.date, end: datetime.date, part: float) -> datetime.date:
    return start + datetime.timedelta(days=int((end - start).days * part))


def _milestones(project, reached: int, rng, today, actor) -> int:
    planned_from = project.planned_start or today
    planned_to = project.planned_end or planned_from + datetime.timedelta(days=300)
    start = project.actual_start or today
    end = min(project.actual_end or today, today)
    for i, (title, percent) in enumerate(STEPS):
        planned_on = _between(planned_from, planned_to, i / (len(STEPS) - 1))
        reached_on = None
        if i < reached:
            last = project.is_finished and i == len(STEPS) - 1
            reached_on = end if last else _between(start, end, (i + 1) / (reached + 1))
        photos = [_photo(rng, percent) for _ in range(rng.randint(1, 2))] if reached_on else []
        progress.milestone_plan(project=project, title=title, progress=percent, planned_on=planned_on,
                                reached_on=reached_on, note=NOTES[i] if reached_on else "", photos=photos, actor=actor)
    return len(STEPS)


def _comments(project, reached: int, rng, today, official) -> None:
    """One comment per two steps reached; each answered by the unit's handler (else the station), except the
    newest comment of the project least far along with comments — the one the demo shows unanswered."""
    supervisors = list(project.supervisors.order_by("pk"))
    if not supervisors:
        return
    handler = None
    if project.responsible_unit is not None:
        handler = project.responsible_unit.members.filter(groups__name=roles.HANDLER).first()
    count = max(1, (reached + 1) // 2)
    for i in range(count):
        text, answer = COMMENTS[i % len(COMMENTS)]
        deputy = supervisors[i % len(supervisors)]
        photos = [_photo(rng, 40)] if i == 0 else []
        comment = progress.supervision_comment(project=project, deputy=deputy, text=text, photos=photos)
        days_ago = 10 + (count - i) * 25
        when = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days_ago),
                                                             datetime.time(rng.randint(8, 17), rng.randint(0, 59))))
        unanswered = reached == 1 and i == count - 1
        if not unanswered:
            progress.supervision_answer(comment=comment, answer=answer, actor=handler or official)
        SupervisionComment.objects.filter(pk=comment.pk).update(
            created_at=when, **({} if unanswered else {"answered_at": when + datetime.timedelta(days=3)}))


def _ratings(project, voters, rng, official) -> None:
    """Every township deputy's year-end rating for the project's year, most from paper; published."""
    year = project.session.held_on.year
    for deputy in voters:
        draw, grade = rng.random(), GRADES[-1][0]
        for option, share in GRADES:
            if draw < share:
                grade = option
                break
            draw -= share
        entered_by = deputy.user if deputy.user_id and rng.random() < 0.5 else official
        progress.rating_cast(project=project, deputy=deputy, grade=grade, year=year, entered_by=entered_by)
    progress.ratings_publish(project=project, year=year, actor=official)


def _photo(rng, percent: int) -> ContentFile:
    """A small site picture: sky, ground and a building grown as far as the project has."""
    width, height = 320, 240
    image = Image.new("RGB", (width, height), (135 + rng.randint(0, 40), 185 + rng.randint(0, 30), 225))
    draw = ImageDraw.Draw(image)
    ground = int(height * 0.68)
    draw.rectangle([0, ground, width, height], fill=(120 + rng.randint(0, 40), 110, 80))
    left = rng.randint(30, 120)
    top = ground - int((ground - 40) * max(percent, 10) / 100)
    draw.rectangle([left, top, left + rng.randint(110, 170), ground], fill=(200, 190, 170), outline=(90, 80, 70))
    for x in range(left + 12, left + 100, 28):  # windows
        for y in range(top + 12, ground - 20, 30):
            draw.rectangle([x, y, x + 14, y + 16], fill=(90, 120, 150))
    if percent < 100:  # a crane while it is being built
        mast = left + rng.randint(150, 190)
        draw.line([mast, ground, mast, 30], fill=(230, 170, 30), width=5)
        draw.line([mast - 60, 34, mast + 50, 34], fill=(230, 170, 30), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


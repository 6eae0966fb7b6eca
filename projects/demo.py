"""Demo vote on livelihood projects (issue 10, item 2): Baita's reserve of candidates (some grown from adopted
suggestions), this year's vote in March (12 candidates for 8 places, a ballot from each of the 75 township deputies,
some entered from paper), announced, and the 8 chosen projects with their units, supervising deputies, budgets and
dates; then how far each has got (projects.demo_progress)."""

import datetime
import random

from django.utils import timezone

from deputies.models import Deputy
from petitions.models import Category, Concern, Suggestion, Unit
from projects import services
from projects.demo_progress import seed_progress
from projects.models import Candidate, VoteSession

# title, category whose concerns back it (None: a department's proposal), unit (after the township's name),
# budget in 10,000 yuan, popularity (how likely a deputy ticks it)
CANDIDATES = [
    ("白塔村至东岙村机耕路硬化", "道路交通", "村镇建设办公室", 180, 0.9),
    ("全镇背街小巷路灯改造", "道路交通", "村镇建设办公室", 95, 0.85),
    ("农村生活垃圾分类清运设施更新", "环境卫生", "村镇建设办公室", 60, 0.8),
    ("居家养老服务中心和老年食堂扩建", "民生保障", "社会事务办公室", 150, 0.8),
    ("葡萄产业园灌溉渠道修复", "农业生产", "农业农村办公室", 120, 0.75),
    ("溪边村庄防洪堤加固", None, "村镇建设办公室", 260, 0.7),
    ("镇卫生院门诊楼适老化改造", None, "社会事务办公室", 85, 0.65),
    ("中小学校门口交通安全设施", "治安安全", "平安建设办公室", 30, 0.6),
    ("村级公厕提升改造", "环境卫生", "村镇建设办公室", 45, 0.45),
    ("小微企业园区停车场建设", "营商环境", "经济发展办公室", 70, 0.35),
    ("文化礼堂设备更新", None, "社会事务办公室", 40, 0.3),
    ("农贸市场雨棚改造", None, "经济发展办公室", 55, 0.25),
]
# Candidates that grew from the deputies' adopted suggestions on the same matter (petitions.demo_suggestions).
FROM_SUGGESTIONS = {"全镇背街小巷路灯改造": "增设路灯", "居家养老服务中心和老年食堂扩建": "老年食堂",
                    "葡萄产业园灌溉渠道修复": "灌溉水渠", "中小学校门口交通安全设施": "学校门口交通安全"}
RESERVE = [("滩林步道建设", None), ("村级卫生室标准化建设", "民生保障"), ("农村饮用水管网延伸", None)]
SEATS = 8
PAPER_SHARE = 0.2  # ballots entered by staff from paper


def seed_projects(township, *, recorded_by, seed: int = 20260310) -> int:
    """Baita's vote in `township` (its scope active), then its projects' progress. Safe to run again: a township
    that has a vote already keeps it, and progress is seeded once (seed_progress). Returns the ballots cast."""
    cast = 0 if VoteSession.objects.exists() else _seed_vote(township, recorded_by=recorded_by, seed=seed)
    seed_progress(township, recorded_by=recorded_by, seed=seed)
    return cast


def _seed_vote(township, *, recorded_by, seed: int) -> int:
    rng = random.Random(seed)
    today = timezone.localdate()
    held_on = today - datetime.timedelta(days=240)
    candidates = [_candidate(township, rng, title, category) for title, category, *_rest in CANDIDATES]
    for title, category in RESERVE:
        _candidate(township, rng, title, category, status=Candidate.Status.RESERVE)
    session = services.session_create(title=f"{held_on.year}年{township.name}民生实事项目人大代表票决", held_on=held_on,
                                      seats=SEATS, candidates=candidates, township=township)
    services.session_open(session=session)
    voters = list(Deputy.objects.filter(level=Deputy.Level.TOWNSHIP, is_active=True).order_by("pk"))
    on_paper, papers = [], []
    for deputy in voters:
        ticked = [c for c, (*_r, popularity) in zip(candidates, CANDIDATES, strict=True) if rng.random() < popularity]
        rng.shuffle(ticked)
        if deputy.user_id is None or rng.random() < PAPER_SHARE:  # no account, or chose paper in the hall
            on_paper.append(deputy)
            papers.append(ticked[:SEATS])
        else:
            services.ballot_cast(session=session, deputy=deputy, choices=ticked[:SEATS])
    services.paper_voters_sign(session=session, deputies=on_paper, entered_by=recorded_by)
    rng.shuffle(papers)  # the ballot box
    for choices in papers:
        services.paper_enter(session=session, choices=choices)
    services.session_close(session=session)
    services.session_announce(session=session)
    by_title = {title: (unit, budget) for title, _c, unit, budget, _p in CANDIDATES}
    for n, project in enumerate(session.projects.select_related("candidate").order_by("-votes", "pk")):
        unit_name, budget = by_title[project.candidate.title]
        project.responsible_unit = Unit.objects.filter(name=f"{township.name}{unit_name}").first()
        project.budget = budget
        project.planned_start = held_on + datetime.timedelta(days=30 + 10 * n)
        project.planned_end = held_on + datetime.timedelta(days=300 + 15 * n)
        if n < 7:  # the last one has not started
            project.actual_start = project.planned_start + datetime.timedelta(days=rng.randint(0, 20))
        if n < 2:
            project.actual_end = min(today - datetime.timedelta(days=12 + 20 * n),
                                     project.planned_end - datetime.timedelta(days=rng.randint(0, 40)))
        project.save()
        project.supervisors.set(rng.sample(voters, 3))
    return len(voters)


def _candidate(township, rng, title, category, status=Candidate.Status.SCREENED) -> Candidate:
    concerns = []
    if category is not None:
        found = list(Concern.objects.filter(category=Category.objects.filter(name=category).first())
                     .order_by("pk").values_list("pk", flat=True))
        concerns = Concern.objects.filter(pk__in=rng.sample(found, min(len(found), rng.randint(2, 9))))
    source = Candidate.Source.CONCERNS if category else Candidate.Source.DEPARTMENT
    suggestions = []
    if title in FROM_SUGGESTIONS:
        suggestions = list(Suggestion.objects.filter(title__contains=FROM_SUGGESTIONS[title],
                                                     answer_category__is_adopted=True).order_by("pk")[:3])
        source = Candidate.Source.SUGGESTION if suggestions else source
    return services.candidate_save(
        township=township, title=title, source=source, concerns=concerns, suggestions=suggestions, status=status,
        source_department="" if category else f"{township.name}村镇建设办公室",
        description=f"{title}，列入{township.name}民生实事候选项目。",
        screening_notes="必要性：群众反映集中；可行性：用地和资金已落实；投资估算经财政所审核。"
        if status == Candidate.Status.SCREENED else "")

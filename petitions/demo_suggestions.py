"""A year of Baita's deputies' suggestions (issue 10): 42 in every state, 36 adopted (answer category A or B),
one re-handled after "not satisfied", planned ones waiting for follow-up. Built through the real services,
then the timestamps moved back to when the demo says it happened. Deterministic; does nothing twice."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from deputies.models import Deputy
from liaison.calendar import add_working_days
from liaison.outbox import notifications_muted
from petitions import suggestion_services as services
from petitions import suggestion_workflow as workflow
from petitions.demo import _unit_handlers
from petitions.models import Concern, Suggestion, SuggestionEvent, SuggestionUnit, Unit

DEPUTY, STAFF, HANDLER, OFFICIAL = workflow.DEPUTY, workflow.STAFF, workflow.HANDLER, workflow.OFFICIAL

# title, content, kind, lead unit (the township's name is put before an office's name)
TOPICS = [
    ("关于修缮{v}村道的建议", "{v}主村道路面破损严重，雨天积水，建议列入年度道路维修计划。", "environment", "村镇建设办公室"),
    ("关于在{v}增设路灯的建议", "{v}至省道连接段没有路灯，夜间出行不安全，建议增设太阳能路灯。", "environment", "村镇建设办公室"),
    ("关于设立{v}老年食堂的建议", "{v}独居老人较多，吃饭难，建议利用村委闲置用房开设老年食堂。", "livelihood", "社会事务办公室"),
    ("关于{v}葡萄产业品牌建设的建议", "{v}葡萄品质好但销路窄，建议统一品牌、对接电商平台。", "economy", "农业农村办公室"),
    ("关于整治{v}溪流污染的建议", "{v}溪流有养殖污水直排，建议开展专项整治并建设截污管网。", "environment", "综合行政执法队"),
    ("关于{v}学校门口交通安全的建议", "上下学时段车流大，建议施划斑马线、设置减速带和护学岗。", "livelihood", "平安建设办公室"),
    ("关于{v}灌溉水渠清淤的建议", "{v}灌溉水渠淤积，影响春耕用水，建议组织清淤并修复渠道。", "economy", "农业农村办公室"),
    ("关于{v}增设公交候车亭的建议", "{v}公交站没有候车亭，老人雨天候车困难，建议增设候车亭。", "livelihood", "村镇建设办公室"),
    ("关于简化民宿审批手续的建议", "民宿开办涉及多个部门，建议推行一窗受理、并联审批。", "governance", "经济发展办公室"),
    ("关于加强{v}野猪防控的建议", "野猪下山毁坏庄稼，建议组建防控队伍并给予损失补偿。", "economy", "农业农村办公室"),
]
CO_VIEW = "同意牵头单位意见，本单位配合做好相关工作。"
# (final state, answer category, rating path) for each of the 42, oldest first.
PLAN = (
    [("closed", "A", ["rate_satisfied"])] * 18
    + [("closed", "A", ["rate_basically"])] * 6
    + [("closed", "A", ["rate_unsatisfied", "rate_satisfied"])]  # re-handled once
    + [("closed", "B", ["rate_satisfied", "follow_up"])] * 4
    + [("closed", "B", ["rate_satisfied"])] * 4  # planned: waiting for follow-up
    + [("answered", "A", [])] * 2
    + [("answered", "B", [])]
    + [("closed", "C", ["rate_basically"]), ("closed", "D", ["rate_basically"])]
    + [("accepted", None, []), ("assigned", None, []), ("submitted", None, []), ("draft", None, [])]
)


@transaction.atomic
def seed_suggestions(township, *, seed: int = 20240310, official=None, deputy_user=None) -> int:
    """The scope of `township` is active. Returns suggestions made (0 if the demo already has them)."""
    if Suggestion.objects.exists():
        return 0
    rng = random.Random(seed)
    deputies = list(Deputy.objects.filter(is_active=True, level=Deputy.Level.TOWNSHIP).select_related("village"))
    if len(deputies) < 3:
        return 0
    own = getattr(deputy_user, "deputy", None) if deputy_user else None
    units = {unit.name: unit for unit in Unit.objects.all()}
    village_team = Unit.objects.filter(kind=Unit.Kind.VILLAGE_TEAM).first()
    handler_for = _unit_handlers(township)
    today = timezone.localdate()
    made = 0
    with notifications_muted():
        for number, (final, code, ratings) in enumerate(PLAN):
            # The demo deputy leads the newest few (so their desk has a rating to give and a draft to submit).
            lead = own if own and number >= len(PLAN) - 6 and number % 2 == 0 else rng.choice(deputies)
            title, content, kind, office = TOPICS[number % len(TOPICS)]
            village = lead.village.name if lead.village_id else township.name
            lead_unit = units.get(f"{township.name}{office}") or village_team
            co_unit = village_team if village_team and village_team != lead_unit else None
            cosigners = [d for d in rng.sample(deputies, 2) if d.pk != lead.pk][:rng.randint(0, 2)]
            concerns = list(Concern.objects.filter(deputy=lead).order_by("pk")[:1]) if rng.random() < 0.4 else []
            suggestion = services.suggestion_create(
                deputy=lead, title=title.format(v=village), content=content.format(v=village), kind=kind,
                concerns=concerns, cosigners=cosigners, actor=lead.user)
            if final == "draft":
                made += 1
                continue
            for cosigner in cosigners:
                services.suggestion_cosign(suggestion=suggestion, deputy=cosigner, actor=cosigner.user)
            steps = [("submit", DEPUTY, {})]
            if final != "submitted":
                steps.append(("assign", OFFICIAL, {"lead_unit": lead_unit, "co_units": [co_unit] if co_unit else []}))
            if final in ("accepted", "answered", "closed"):
                steps.append(("accept", HANDLER, {}))
            category = services.answer_categories(township=township).get(code=code) if code else None
            answer = {"answer": f"经研究，{'已落实' if code == 'A' else '已列入明年计划' if code == 'B' else '作为参考'}："
                                f"{content.format(v=village)[:30]}……", "answer_category": category}
            if final in ("answered", "closed"):
                steps.append(("answer", HANDLER, answer))
            for rating in ratings:
                if rating == "follow_up":
                    steps.append(("follow_up", STAFF, {"note": "已纳入年度计划，正在组织实施。"}))
                    continue
                steps.append((rating, DEPUTY, {"note": "答复不够具体，希望明确时间表。"} if rating == "rate_unsatisfied" else {}))
                if rating == "rate_unsatisfied":
                    steps.append(("answer", HANDLER, answer))
            actors = {DEPUTY: lead.user, OFFICIAL: official, STAFF: official, HANDLER: handler_for(lead_unit)}
            for action, role, extra in steps:
                suggestion = services.suggestion_transition(suggestion=suggestion, action=action, role=role,
                                                            actor=actors[role], **extra)
                if action == "accept" and co_unit and final in ("answered", "closed"):
                    # The co-handling unit sent its view to the lead unit before the answer.
                    services.suggestion_co_view(suggestion=suggestion, unit=co_unit, role=HANDLER,
                                                actor=handler_for(co_unit), view=CO_VIEW)
            # Old ones closed long ago; the open ones are recent, so none is overdue on the demo's today.
            days_ago = int(330 * (1 - number / len(PLAN))) + 20 if final in ("answered", "closed") else \
                rng.randint(3, 15)
            _backdate(suggestion, today - datetime.timedelta(days=days_ago), today)
            made += 1
    return made


def _backdate(suggestion: Suggestion, start: datetime.date, today: datetime.date) -> None:
    """Spread the timeline from `start`: a few working days between moves, the answer about a month after."""
    moment = timezone.make_aware(datetime.datetime.combine(start, datetime.time(9, 0)))
    latest = timezone.now()
    times = {}
    for event in suggestion.events.order_by("created_at", "pk"):
        moment += datetime.timedelta(days=25 if event.action == "answer" else 3, minutes=7)
        moment = min(moment, latest)
        SuggestionEvent.objects.filter(pk=event.pk).update(created_at=moment)
        times[event.action or event.kind] = moment
    fields = {"created_at": timezone.make_aware(datetime.datetime.combine(start, datetime.time(8, 30)))}
    if suggestion.submitted_at:
        fields["submitted_at"] = times.get("submit")
        fields["assign_by"] = add_working_days(timezone.localtime(times["submit"]).date(),
                                                        workflow.ASSIGN_WORKING_DAYS)
    if suggestion.assigned_at and "assign" in times:
        fields["assigned_at"] = times["assign"]
        assigned_on = timezone.localtime(times["assign"]).date()
        fields["return_by"] = services.return_deadline(assigned_on)
        suggestion.assignments.update(assigned_at=times["assign"])
        suggestion.assignments.filter(role=SuggestionUnit.Role.CO).update(view_by=services.view_deadline(assigned_on))
        if suggestion.rehandle_count == 0:
            fields["answer_by"] = services.answer_deadline(timezone.localtime(times["assign"]).date())
    if suggestion.answered_at and "answer" in times:
        fields["answered_at"] = times["answer"]
    if suggestion.closed_at:
        fields["closed_at"] = max(times.values())
    if suggestion.followed_up_at and "follow_up" in times:
        fields["followed_up_at"] = times["follow_up"]
    Suggestion.objects.filter(pk=suggestion.pk).update(**fields)

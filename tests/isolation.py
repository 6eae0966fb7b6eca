"""Two townships, each fully populated and marked, for tests/test_isolation.py.

Every row of a township carries its marker (甲镇 for A, 乙镇 for B) in its names and texts, and its
accounts carry its tag (jiazhen, yizhen) in their usernames; a page shown to one township that holds
the other's marker, codes, tracking codes, photo keys or mobiles has leaked.
"""

import datetime
import io
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from PIL import Image

from dashboard import study
from dashboard.models import StudyCategory
from deputies.activities import activity_record, report_to_voters_record
from deputies.households import household_contact_record
from deputies.models import DutyDay, DutyFeed, DutyRule, Shift, SwapRequest
from liaison import roles
from liaison.audit import audit_record
from liaison.models import AuditEntry, Membership, Township
from liaison.scoping import TownshipScoped, county_wide, in_township
from petitions import suggestion_services, workflow
from petitions.models import Concern, ConcernPhoto, Filing
from petitions.receptions import reception_record
from petitions.services import concern_assign, concern_comment, concern_resolve, concern_transition
from projects import progress
from projects import services as votes
from tests.factories import (
    AreaFactory,
    CategoryFactory,
    ConcernFactory,
    DeputyFactory,
    LiaisonHouseholdFactory,
    SiteFactory,
    UnitFactory,
    UserFactory,
    VillageFactory,
)

DESK_ROLES = ("staff", "official", "handler", "deputy")


@dataclass
class Town:
    township: Township
    marker: str  # in every name and text of the township's rows
    tag: str  # in its accounts' usernames
    users: dict = field(default_factory=dict)  # DESK_ROLES → account (a Membership of this township)
    rows: dict = field(default_factory=dict)  # "area", "village", … → a row of this township
    concerns: dict = field(default_factory=dict)  # "new", "working", "resolved" → Concern
    photos: dict = field(default_factory=dict)  # "public", "private" → ConcernPhoto of concerns["working"]
    mobiles: list = field(default_factory=list)

    def __getattr__(self, name):
        try:
            return self.__dict__["rows"][name]
        except KeyError:
            raise AttributeError(name) from None

    def row(self, model):
        """A row of `model` in this township (for URLs naming one)."""
        for row in [*self.rows.values(), *self.concerns.values(), *self.photos.values()]:
            if type(row) is model:
                return row
        with county_wide():
            return model.objects.filter(township=self.township).order_by("pk").first()

    @property
    def secrets(self) -> set[str]:
        """What no page shown to another township may hold."""
        return {
            self.marker, self.tag, self.township.station_name,
            self.deputy.code, self.site.code,
            *(c.tracking for c in self.concerns.values()), *(str(p.key) for p in self.photos.values()),
            self.activity.code, self.internal_activity.code, str(self.opinion.key),
            *(str(p.key) for p in [*self.activity.photos.all(), *self.internal_activity.photos.all()]),
            self.vote.code, self.open_vote.code, self.suggestion.code, self.public_suggestion.code,
            self.study_material.code, self.deputies_material.code, self.draft_material.code,
            *(str(p.key) for p in (self.project_photo, self.comment_photo)),
            *self.mobiles,
        }


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "#abc").save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="x.jpg")


def _pdf() -> ContentFile:
    """A real one-page PDF (its text is read back by response_text)."""
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "#fff").save(buffer, format="PDF")
    return ContentFile(buffer.getvalue(), name="x.pdf")


def _account(town: Town, role: str, group: str, **fields):
    user = UserFactory(username=f"{town.tag}-{role}", email=f"{town.tag}-{role}@example.cn", **fields)
    user.groups.add(Group.objects.get(name=group))
    Membership.objects.create(user=user, township=town.township)
    return user


def build_town(township: Township, *, marker: str, tag: str, digit: str) -> Town:
    """A township with a row of every kind, accounts of every desk role, and concerns in several states.
    Call inside county_wide()."""
    town = Town(township, marker, tag)
    mobile = lambda n: f"13{digit * 5}{n:04d}"  # noqa: E731 — 13AAAAA0001 for A, 13BBBBB0001 for B
    town.mobiles = [mobile(n) for n in range(1, 6)]
    township.escalation_mobiles = town.mobiles[4]
    township.save()
    town.users = {
        "staff": _account(town, "staff", roles.STAFF, is_staff=True),
        "official": _account(town, "official", roles.OFFICIAL, is_staff=True),
        "handler": _account(town, "handler", roles.HANDLER),
        "deputy": _account(town, "deputy", roles.DEPUTY),
    }
    t = {"township": township}
    area = AreaFactory(**t, name=f"{marker}东片区")
    village = VillageFactory(**t, name=f"{marker}东岙村", area=area)
    site = SiteFactory(**t, name=f"{marker}联络站", kind="station", area=None, phone=f"0576-8{digit * 7}")
    deputy = DeputyFactory(**t, name=f"{marker}吴代表", user=town.users["deputy"], village=village, site=site,
                           mobile=town.mobiles[0], post=f"{marker}东岙村书记")
    unit = UnitFactory(**t, name=f"{marker}东岙村驻村组", village=village, phone=town.mobiles[1])
    unit.members.add(town.users["handler"])
    category = CategoryFactory(**t, name=f"{marker}环境卫生", default_unit=unit)
    household = LiaisonHouseholdFactory(**t, deputy=deputy, village=village, head=f"{marker}户主",
                                        phone=town.mobiles[3])
    household_contact, _created = household_contact_record(
        household=household, deputy=deputy, kind="visit", contacted_on=datetime.date(2026, 3, 7),
        notes=f"{marker}户主反映路灯", recorded_by=town.users["deputy"])
    town.rows = {"area": area, "village": village, "site": site, "deputy": deputy, "unit": unit,
                 "category": category, "household": household, "household_contact": household_contact}

    def file(text: str, **extra) -> Concern:
        return ConcernFactory(deputy=deputy, category=category, mobile=town.mobiles[2], name=f"{marker}陈",
                              content=f"{marker}{text}", village=village, **extra)

    official, handler = town.users["official"], town.users["handler"]
    working = concern_assign(concern=file("葡萄园环境卫生差", is_public=True), unit=unit, actor=official,
                             role=workflow.OFFICIAL)
    working = concern_transition(concern=working, action="start", actor=handler, role=workflow.HANDLER)
    for is_public in (True, False):
        concern_comment(concern=working, actor=handler, role=workflow.HANDLER, is_public=is_public,
                        note=f"{marker}进展", photos=[_jpeg()])
    resolved = concern_resolve(concern=file("窨井盖破损"), result=f"{marker}已修复", outcome="fixed",
                               actor=deputy.user, role=workflow.DEPUTY)
    town.concerns = {"new": file("村口路灯不亮"), "working": working, "resolved": resolved}
    public, private = ConcernPhoto.objects.filter(concern=working).order_by("pk")
    town.photos = {"public": public, "private": private}
    town.rows["constituent"] = town.concerns["new"].constituent
    # The duty roster: today's duty day (the reception below links to it), a coming shift offered for a swap.
    town.rows["duty_rule"] = DutyRule.objects.create(township=township, site=site, days_of_month="7,21")
    today = timezone.localdate(town.concerns["new"].created_at)  # station time: in UTC it is yesterday after 16:00
    town.rows["duty_day"] = DutyDay.objects.create(township=township, site=site, held_on=today, is_published=True)
    town.rows["shift"] = Shift.objects.create(township=township, day=town.rows["duty_day"], deputy=deputy)
    coming = DutyDay.objects.create(township=township, site=site, held_on=today + datetime.timedelta(days=30))
    town.rows["future_shift"] = Shift.objects.create(township=township, day=coming, deputy=deputy)
    town.rows["swap"] = SwapRequest.objects.create(township=township, shift=town.rows["future_shift"],
                                                   requested_by=deputy, note=f"{marker}出差")
    town.rows["duty_feed"] = DutyFeed.objects.create(township=township, deputy=deputy)
    town.rows["reception"], _created = reception_record(
        received_on=town.concerns["new"].created_at.date(), site=site, deputies=[deputy], mobile=town.mobiles[2],
        name=f"{marker}陈", village=village, visitor_count=1, matters=f"{marker}咨询医保缴费", answer=f"{marker}已解答",
        satisfaction="satisfied", recorded_by=town.users["staff"])
    # Activities: a public enterprise visit with an opinion and a photo, an internal one with a photo, a
    # report to voters (deputies.activities).
    with in_township(township):
        visit = activity_record(kind="enterprise_visit", held_on=town.concerns["new"].created_at.date(),
                                title=f"{marker}走访葡萄合作社", place=f"{marker}东岙村", deputies=[deputy],
                                enterprise=f"{marker}葡萄合作社", summary=f"{marker}了解用工", photos=[_jpeg()],
                                opinions=[f"{marker}希望修通机耕路"], recorded_by=town.users["staff"])
        internal = activity_record(kind="study_training", held_on=visit.held_on, title=f"{marker}代表培训",
                                   deputies=[deputy], is_public=False, photos=[_jpeg()])
        report = report_to_voters_record(deputy=deputy, held_on=visit.held_on, place=f"{marker}村委会",
                                         voters_present=30, report=f"{marker}述职报告", satisfied=20,
                                         basically_satisfied=8, dissatisfied=2)
    town.rows |= {"activity": visit, "internal_activity": internal, "opinion": visit.opinions.get(),
                  "activity_photo": visit.photos.get(), "internal_activity_photo": internal.photos.get(),
                  "report_to_voters": report}
    # A deputy's suggestion grown from a concern, submitted and assigned to the unit. (No co-signer nor
    # co-handling unit here: the forms' tests expect one deputy and one unit per township.)
    suggestion = suggestion_services.suggestion_create(
        deputy=deputy, title=f"{marker}修通机耕路", content=f"{marker}建议修通机耕路", concerns=[town.concerns["new"]],
        actor=town.users["deputy"])
    suggestion_services.suggestion_transition(suggestion=suggestion, action="submit", role=workflow.DEPUTY)
    suggestion = suggestion_services.suggestion_transition(
        suggestion=suggestion, action="assign", role=workflow.OFFICIAL, actor=official, lead_unit=unit)
    town.suggestion = suggestion
    # A second one answered in an adopted category: public (/suggestions/<code>/).
    public = suggestion_services.suggestion_create(deputy=deputy, title=f"{marker}建设村口路灯",
                                                   content=f"{marker}建议建设村口路灯", actor=town.users["deputy"])
    for action, role, extra in [("submit", workflow.DEPUTY, {}), ("assign", workflow.OFFICIAL, {"lead_unit": unit}),
                                ("accept", workflow.HANDLER, {}),
                                ("answer", workflow.HANDLER, {"answer": f"{marker}已建成", "answer_category":
                                                              suggestion_services.answer_categories(
                                                                  township=township).get(code="A")})]:
        public = suggestion_services.suggestion_transition(suggestion=public, action=action, role=role, **extra)
    town.rows |= {"suggestion": suggestion, "suggestion_unit": suggestion.assignments.get(),
                  "suggestion_event": suggestion.events.first(),
                  "answer_category": suggestion_services.answer_categories(township=township).first(),
                  "public_suggestion": public}
    # The vote on livelihood projects (projects.services): an announced one (a ballot, a chosen project) and
    # an open one whose ballot page the deputy may open.
    with in_township(township):
        candidates = [votes.candidate_save(title=f"{marker}民生项目{i}", concerns=[town.concerns["new"]][:i < 1],
                                           suggestions=[suggestion][:i < 1], source_department=f"{marker}农办",
                                           screening_notes=f"{marker}可行")
                      for i in range(5)]
        vote = votes.session_create(title=f"{marker}民生实事票决", held_on=visit.held_on, seats=2,
                                    candidates=candidates[:3])
        votes.session_open(session=vote)
        ballot = votes.ballot_cast(session=vote, deputy=deputy, choices=candidates[:2])
        votes.session_close(session=vote)
        votes.session_announce(session=vote)
        open_vote = votes.session_create(title=f"{marker}第二次票决", held_on=visit.held_on, seats=1,
                                         candidates=candidates[3:])
        votes.session_open(session=open_vote)
    project = vote.projects.get(candidate=candidates[0])
    project.responsible_unit = unit
    project.save()
    project.supervisors.add(deputy)
    # The project carried out (projects.progress): a reached milestone with a photo and a planned one, an answered
    # comment and an open one (a photo), the deputy's year-end rating, published.
    with in_township(township):
        reached = progress.milestone_plan(project=project, title=f"{marker}开工", progress=20,
                                          reached_on=visit.held_on, note=f"{marker}已进场", photos=[_jpeg()],
                                          actor=official)
        milestone = progress.milestone_plan(project=project, title=f"{marker}完工", progress=100, actor=handler)
        answered = progress.supervision_comment(project=project, deputy=deputy, text=f"{marker}注意施工安全")
        progress.supervision_answer(comment=answered, answer=f"{marker}已设警示牌", actor=handler)
        comment = progress.supervision_comment(project=project, deputy=deputy, text=f"{marker}路面积水",
                                               photos=[_jpeg()])
        rating = progress.rating_cast(project=project, deputy=deputy, grade="satisfied",
                                      year=vote.held_on.year, entered_by=town.users["deputy"])
        publication = progress.ratings_publish(project=project, year=vote.held_on.year, actor=official)
    town.rows |= {"candidate": candidates[0], "vote": vote, "open_vote": open_vote, "ballot": ballot,
                  "livelihood_project": project, "milestone": milestone, "reached_milestone": reached,
                  "project_photo": reached.photos.get(), "comment_photo": comment.photos.get(),
                  "supervision_comment": comment, "answered_comment": answered, "year_end_rating": rating,
                  "rating_publication": publication}
    # Study materials (dashboard.study): a public one and a deputies-only one, each with a PDF, a draft, and the
    # deputy's receipt for the deputies-only one.
    with in_township(township):
        heading = StudyCategory.objects.create(township=township, name=f"{marker}履职指南")
        study_public = study.study_material_create(category=heading, title=f"{marker}学习代表法", body=f"{marker}正文",
                                                   audience="public", pdf=_pdf(), is_published=True, by=official)
        study_deputies = study.study_material_create(
            category=heading, title=f"{marker}内部学习材料", body=f"{marker}仅代表可见", audience="deputies", pdf=_pdf(),
            is_published=True, by=official)
        study_draft = study.study_material_create(category=heading, title=f"{marker}草稿", body=f"{marker}草稿正文",
                                                  audience="public")
        study.study_material_open(material=study_deputies, deputy=deputy)
    town.rows |= {"study_category": heading, "study_material": study_public, "deputies_material": study_deputies,
                  "draft_material": study_draft, "study_receipt": study_deputies.receipts.get()}
    # A filing of the public form the worker could not register (petitions.intake): it waits in the admin.
    town.rows["filing"] = Filing.objects.create(
        township=township, tracking=f"{marker}待登记", deputy=deputy, state=Filing.State.FAILED,
        payload={"name": f"{marker}陈", "mobile": town.mobiles[2], "content": f"{marker}未能登记"}, attempts=5)
    town.rows["audit"] = audit_record(actor=town.users["official"], action=AuditEntry.Action.EXPORT,
                                      label=f"{marker}.xlsx", township=township)[0]
    return town


# --- what a township holds, and whether anything ties two townships together ------------------------

def scoped_models() -> list:
    return [m for m in apps.get_models() if issubclass(m, TownshipScoped)]


def snapshot(township) -> dict:
    """Every row of the township, column by column, and its many-to-many links: equal before and after
    some requests means they changed nothing of it. Plain SQL: it is taken hundreds of times."""
    from django.db import connection

    state = {}
    with connection.cursor() as cursor:
        for model in scoped_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} WHERE township_id = %s ORDER BY id", [township.pk])
            state[model._meta.label] = cursor.fetchall()
            for m2m in model._meta.many_to_many:
                through = m2m.remote_field.through._meta
                here = through.get_field(m2m.m2m_field_name()).column
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(through.db_table)} WHERE {here} IN "
                               f"(SELECT id FROM {table} WHERE township_id = %s) ORDER BY id", [township.pk])
                state[f"{model._meta.label}.{m2m.name}"] = cursor.fetchall()
    return state


def cross_township_references() -> list[str]:
    """Rows tied to a row of another township (a foreign key, a many-to-many link, what a message is
    about, a unit member working elsewhere): each is a leak."""
    from django.contrib.contenttypes.models import ContentType

    found = []
    with county_wide():
        for model in scoped_models():
            for relation in model._meta.concrete_fields:
                if relation.many_to_one and issubclass(relation.related_model, TownshipScoped):
                    crossed = model.objects.exclude(**{f"{relation.name}__isnull": True}).exclude(
                        **{f"{relation.name}__township": F("township")})
                    found += [f"{model._meta.label}.{relation.name} #{pk}" for pk in crossed.values_list("pk", flat=True)]
            for relation in model._meta.many_to_many:
                through, here, there = (relation.remote_field.through, relation.m2m_field_name(),
                                        relation.m2m_reverse_field_name())
                if issubclass(relation.related_model, TownshipScoped):
                    crossed = through.objects.exclude(**{f"{there}__township": F(f"{here}__township")})
                else:  # accounts: those with a membership elsewhere
                    crossed = through.objects.filter(**{f"{there}__membership__township__isnull": False}).exclude(
                        **{f"{there}__membership__township": F(f"{here}__township")})
                found += [f"{model._meta.label}.{relation.name} {pair}" for pair in crossed.values_list(here, there)]
        notification, concern = apps.get_model("liaison.Notification"), Concern
        about_concerns = notification.objects.filter(subject_type=ContentType.objects.get_for_model(concern))
        townships = dict(concern.objects.values_list("pk", "township"))
        found += [f"liaison.Notification.about #{pk}" for pk, subject, township in
                  about_concerns.values_list("pk", "subject_id", "township") if townships.get(subject) != township]
    return found


# --- reading a response ---------------------------------------------------------------------------

def response_text(response) -> str:
    """Everything a response shows: its Location, and its body read as its type says (the cells of a
    workbook, the text of a PDF); nothing of images."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = response.get("Location", "")
    if content_type.startswith("image/"):
        return text
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(body), read_only=True)
        cells = [str(v) for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row if v]
        return text + "\n".join(cells)
    if content_type == "application/pdf":
        from pypdf import PdfReader

        return text + "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if content_type.startswith("application/json"):
        return text + json.dumps(json.loads(body), ensure_ascii=False)
    return text + body.decode("utf-8", errors="replace")

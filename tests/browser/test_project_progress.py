"""A livelihood project carried out, on a phone: a supervising deputy writes a comment with a photo from the
project's page, and the public project page shows its progress bar, milestones, photos and the comment."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from projects import progress, services
from projects.models import Candidate, LivelihoodProject, SupervisionComment
from tests.browser.conftest import assert_no_horizontal_scroll, logged_in, screenshot
from tests.factories import the_township


def _project(unit, supervisor) -> LivelihoodProject:
    candidates = [services.candidate_save(township=the_township(), title=t, status=Candidate.Status.SCREENED)
                  for t in ("白塔村至东岙村机耕路硬化", "文化礼堂设备更新")]
    session = services.session_create(title="白塔镇民生实事项目票决", held_on=datetime.date(datetime.date.today().year, 1, 15),
                                      seats=1, candidates=candidates, township=the_township())
    for move in (services.session_open, services.session_close, services.session_announce):
        move(session=session)
    project = LivelihoodProject.objects.get()
    project.responsible_unit = unit
    project.save()
    project.supervisors.add(supervisor)
    return project


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#7a9").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_supervising_deputy_comments_and_the_public_page_shows_progress(browser, live_server, deputy_user, unit,
                                                                          staff):
    project = _project(unit, deputy_user.deputy)
    progress.milestone_plan(project=project, title="招投标完成", progress=25, reached_on=datetime.date.today(),
                            note="施工单位已进场。", photos=[ContentFile(_jpeg(), name="p.jpg")], actor=staff)
    progress.milestone_plan(project=project, title="主体工程完工", progress=75, actor=staff)

    page = logged_in(browser, live_server, deputy_user)
    page.goto(f"{live_server.url}/staff/projects/{project.pk}/")
    page.fill("#id_comment-text", "施工路段缺少警示标志，请尽快设置。")
    page.set_input_files("#id_comment-photos", {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()})
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="提交意见").click()
    page.wait_for_selector(".alert-success")
    comment = SupervisionComment.objects.get()
    assert (comment.deputy, comment.photos.count()) == (deputy_user.deputy, 1)

    page.goto(f"{live_server.url}/projects/{project.pk}/")
    bar = page.locator("progress.project-progress-bar")
    assert bar.is_visible() and bar.get_attribute("value") == "25"
    assert page.get_by_text("尚未答复").is_visible()
    assert page.locator("img.project-photo").count() == 2
    assert_no_horizontal_scroll(page)
    screenshot(page, "project-public-phone")

"""Issue 10 end to end on phones: a voter's concern becomes a deputy's suggestion, a colleague co-signs it, the
suggestion backs a candidate project, the deputy votes for it from the session's QR page, the vote is announced,
and the public project page shows how far along the chosen project is."""

import datetime

import pytest
from django.contrib.auth.models import Group

from liaison import roles
from petitions.models import Suggestion
from projects import progress, services
from projects.models import BallotPaper, Candidate, LivelihoodProject
from projects.selectors import candidate_list
from tests.browser.conftest import assert_no_horizontal_scroll, logged_in, screenshot
from tests.factories import ConcernFactory, DeputyFactory, UserFactory, the_township


@pytest.mark.django_db(transaction=True)
def test_from_a_concern_to_a_suggestion_to_a_vote_to_a_project_in_progress(browser, live_server, deputy_user,
                                                                           category, staff):
    colleague_user = UserFactory(username="colleague")
    colleague_user.set_password("pw")
    colleague_user.save()
    colleague_user.groups.add(Group.objects.get(name=roles.DEPUTY))
    colleague = DeputyFactory(user=colleague_user, name="应代表")
    concern = ConcernFactory(deputy=deputy_user.deputy, category=category, content="东岙村机耕路坑洼，农用车进不去。")

    # 1. The deputy turns the concern into a suggestion and invites a colleague.
    page = logged_in(browser, live_server, deputy_user)
    page.goto(f"{live_server.url}/desk/concerns/{concern.tracking}/")
    page.click("#make-suggestion")
    page.check(f"input[name=cosigners][value='{colleague.pk}']")
    with page.expect_navigation():
        page.locator("#suggestion-save").click()
    suggestion = Suggestion.objects.get()
    assert list(suggestion.concerns.all()) == [concern]
    screenshot(page, "journey-1-suggestion")

    # 2. The colleague co-signs from their phone.
    other = logged_in(browser, live_server, colleague_user)
    other.goto(f"{live_server.url}/desk/suggestions/")
    other.locator("#to-cosign a").click()
    with other.expect_navigation():
        other.locator("#form-cosign button").click()
    assert "✓" in other.locator("#suggestion-cosigners").inner_text()
    screenshot(other, "journey-2-cosigned")

    # 3. The station puts it in the reserve as a candidate (its demand: the suggestion and its concern), with
    #    three others, and opens a vote for two places.
    backed = services.candidate_save(township=the_township(), title="东岙村机耕路硬化", suggestions=[suggestion],
                                     source=Candidate.Source.SUGGESTION, status=Candidate.Status.SCREENED)
    assert candidate_list().get(pk=backed.pk).demand == 2
    others = [services.candidate_save(township=the_township(), title=t, status=Candidate.Status.SCREENED)
              for t in ("文化礼堂设备更新", "农贸市场雨棚改造", "村级公厕提升改造")]
    session = services.session_create(title="白塔镇民生实事项目票决", held_on=datetime.date.today(), seats=2,
                                      candidates=[backed, *others], township=the_township())
    services.session_open(session=session)

    # 4. The deputy scans the session's QR code and votes.
    page.goto(f"{live_server.url}{session.ballot_url()}")
    page.get_by_label("东岙村机耕路硬化").check()
    page.get_by_label("文化礼堂设备更新").check()
    assert_no_horizontal_scroll(page)
    screenshot(page, "journey-3-ballot")
    page.get_by_role("button", name="投票").click()
    page.wait_for_selector(".alert-success")
    services.ballot_cast(session=session, deputy=colleague, choices=[backed, others[1]])
    assert set(BallotPaper.objects.values_list("marks__candidate__title", flat=True)) == {
        "东岙村机耕路硬化", "文化礼堂设备更新", "农贸市场雨棚改造"}

    # 5. Announced; the unit reaches a first milestone; the public page shows the progress.
    services.session_close(session=session)
    services.session_announce(session=session)
    project = LivelihoodProject.objects.get(candidate=backed)
    progress.milestone_plan(project=project, title="完成设计和招投标", progress=40, reached_on=datetime.date.today(),
                            actor=staff)
    public = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="zh-CN")
    public.goto(f"{live_server.url}/projects/")
    card = public.locator("li", has_text="东岙村机耕路硬化")
    assert card.locator("progress").get_attribute("value") == "40"
    public.goto(f"{live_server.url}/projects/{project.pk}/")
    assert public.locator("progress.project-progress-bar").get_attribute("value") == "40"
    assert "完成设计和招投标" in public.inner_text("body")
    assert concern.constituent.name not in public.content() and concern.constituent.mobile not in public.content()
    assert_no_horizontal_scroll(public)
    screenshot(public, "journey-4-public-project")
    for p in (page, other, public):
        p.context.close()

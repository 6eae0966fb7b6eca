"""The vote on livelihood projects on a phone: a deputy opens the ballot from the session's QR code and votes;
the staff's session page (QR code, live tally, paper ballots) and the public result fit the screen."""

import datetime

import pytest

from projects import services
from projects.models import Ballot, BallotPaper, Candidate
from tests.browser.conftest import assert_no_horizontal_scroll, logged_in, screenshot
from tests.factories import DeputyFactory, the_township

TITLES = ("白塔村机耕路硬化", "东岙村路灯改造", "镇卫生院门诊楼维修", "西溪堤防加固", "老年食堂扩建")


def _vote():
    candidates = [services.candidate_save(township=the_township(), title=t, status=Candidate.Status.SCREENED)
                  for t in TITLES]
    session = services.session_create(title="2026年白塔镇民生实事项目票决", held_on=datetime.date(2026, 3, 1),
                                      seats=3, candidates=candidates, township=the_township())
    return services.session_open(session=session), candidates


@pytest.mark.django_db(transaction=True)
def test_a_deputy_votes_on_a_phone(browser, live_server, deputy_user):
    session, candidates = _vote()
    page = logged_in(browser, live_server, deputy_user)
    page.goto(f"{live_server.url}{session.ballot_url()}")
    for title in TITLES[:2]:
        page.get_by_label(title).check()
    assert_no_horizontal_scroll(page)
    screenshot(page, "project-ballot-phone")
    page.get_by_role("button").last.click()
    page.wait_for_selector(".alert-success")
    assert Ballot.objects.filter(deputy=deputy_user.deputy).exists()
    assert set(BallotPaper.objects.get().choices.values_list("title", flat=True)) == set(TITLES[:2])
    screenshot(page, "project-ballot-cast", full_page=False)


@pytest.mark.django_db(transaction=True)
def test_staff_run_the_vote_on_a_phone(browser, live_server, staff):
    session, candidates = _vote()
    for picks in ([0, 1, 2], [0, 1], [0, 3], [4]):
        services.ballot_cast(session=session, deputy=DeputyFactory(),
                             choices=[candidates[i] for i in picks])
    page = logged_in(browser, live_server, staff)
    page.goto(f"{live_server.url}/staff/projects/votes/{session.code}/")
    assert page.locator(".vote-qr svg").is_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "project-session-staff")
    services.session_close(session=session)
    services.session_announce(session=session)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    assert page.locator(".table-success").count() == 3
    assert_no_horizontal_scroll(page)
    screenshot(page, "project-result-public")
    page.goto(f"{live_server.url}/projects/")
    screenshot(page, "projects-public-list")


@pytest.mark.django_db(transaction=True)
def test_a_paper_entered_then_back_and_submit_again_is_not_counted_twice(browser, live_server, staff):
    session, candidates = _vote()
    services.paper_voters_sign(session=session, deputies=[DeputyFactory(), DeputyFactory()], entered_by=staff)
    page = logged_in(browser, live_server, staff)
    page.goto(f"{live_server.url}/staff/projects/votes/{session.code}/")
    page.get_by_label(TITLES[0]).check()
    page.get_by_role("button", name="录入选票").dblclick()  # a double tap
    page.wait_for_selector(".alert")
    page.go_back()
    assert not page.get_by_label(TITLES[0]).is_checked()  # the browser does not tick the last paper again
    page.get_by_role("button", name="录入选票").click()
    page.wait_for_selector(".alert")
    assert "或注明是空白票" in page.locator(".alert").first.inner_text()
    assert BallotPaper.objects.count() == 1 and services.papers_outstanding(session) == 1
    screenshot(page, "project-paper-back-resubmit")
    page.context.close()

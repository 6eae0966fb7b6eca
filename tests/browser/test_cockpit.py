"""The cockpit in Chromium at the station's desk (1366×768): its charts draw under the CSP, a number or a
bar clicked lists exactly the concerns it counted, the tables stand without JavaScript, it fits a 360 px
phone with text at 200 %, and a township's official sees their own township's figures alone."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from liaison import roles
from liaison.models import Membership
from petitions import workflow
from petitions.models import Concern
from petitions.services import concern_assign, concern_merge, concern_rate, concern_resolve, concern_transition
from tests.browser.conftest import (
    DESKTOP,
    SCREENSHOTS,
    assert_no_horizontal_scroll,
    log_in,
    logged_in,
    screenshot,
)
from tests.browser.test_csp import CspWatch
from tests.browser.test_large_text import LARGE_TEXT_PX, _large_text_browser, large_text_phone  # noqa: F401
from tests.factories import (
    CategoryFactory,
    ConcernFactory,
    DeputyFactory,
    TownshipFactory,
    UserFactory,
    the_township,
)

O = Concern.Outcome
SAT = Concern.Satisfaction
CHARTS = ("trend", "channels", "outcomes", "categories")


def _member(user, township):
    Membership.objects.create(user=user, township=township)
    return user


@pytest.fixture
def town(official, handler, unit, category):
    """Nine cases of 白塔镇 filed today, one of each kind the cockpit counts apart, and a second township
    (下各镇) with two cases of its own that 白塔镇's pages must never show. With two townships an account
    works where its membership says."""
    township = the_township()
    _member(official, township)
    _member(handler, township)
    deputy = DeputyFactory(name="王智慧")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    def file(**extra):
        return ConcernFactory(category=extra.pop("category", category), deputy=deputy, **extra)

    def assigned(deadline_on=None):
        return concern_assign(concern=file(), unit=unit, deadline_on=deadline_on, actor=official,
                              role=workflow.OFFICIAL)

    def resolved(outcome):
        return concern_resolve(concern=assigned(), result="已处理。", outcome=outcome, actor=handler,
                               role=workflow.HANDLER)

    submitted = file()
    a = {
        "submitted": submitted,
        "overdue": assigned(deadline_on=yesterday),
        "fixed_awaiting_rating": resolved(O.FIXED),
        "explained": concern_rate(
            concern=concern_resolve(concern=file(), result="已答复。", outcome=O.EXPLAINED, actor=official,
                                    role=workflow.OFFICIAL),
            satisfaction=SAT.SATISFIED),
        "fixed_basic": concern_rate(concern=resolved(O.FIXED), satisfaction=SAT.BASIC),
        "reopened": concern_rate(concern=resolved(O.NOT_FEASIBLE), satisfaction=SAT.UNSATISFIED),
        "rejected": concern_transition(concern=file(), action="reject", actor=official, role=workflow.OFFICIAL,
                                       note="不属于受理范围", result="不属于受理范围"),
        "merged": concern_merge(concern=file(), into=submitted, actor=official, role=workflow.OFFICIAL),
        "by_phone": file(channel=Concern.Channel.PHONE, category=CategoryFactory(name="道路交通"),
                         content="桥头路面坑洼，雨天积水。"),
    }

    other = TownshipFactory(name="下各镇", code="xiage", station_name="下各镇人大代表联络站")
    b_official = _member(UserFactory(username="xiage-official", is_staff=True), other)
    b_official.groups.add(Group.objects.get(name=roles.OFFICIAL))
    b_category = CategoryFactory(township=other, name="乙镇水利")
    b_deputy = DeputyFactory(township=other, name="乙镇代表")
    b = {
        "filed": ConcernFactory(category=b_category, deputy=b_deputy, content="乙镇渠道堵塞。"),
        "overdue": concern_assign(
            concern=ConcernFactory(category=b_category, deputy=b_deputy, content="乙镇堤坝渗水。"),
            unit=b_category.default_unit, deadline_on=yesterday, actor=b_official, role=workflow.OFFICIAL),
    }
    # What names each township's rows (in the tables, the site chooser and the charts' data).
    names = {"a": {deputy.name, deputy.site.name, category.name, unit.name},
             "b": {b_deputy.name, b_deputy.site.name, b_category.name, b_category.default_unit.name}}
    cache.clear()  # the cockpit keeps its figures for minutes, in the same process as the live server
    return SimpleNamespace(official=official, a=a, b=b, b_official=b_official, names=names)


def _codes(town, *names) -> set[str]:
    return {town.a[name].tracking for name in names}


def _cockpit(page, live_server) -> None:
    page.goto(f"{live_server.url}/cockpit/")
    expect(page.locator("#cockpit-sections")).to_be_visible()


def _wait_for_charts(page) -> None:
    """Every chart with data finished drawing (cockpit.js marks it on ECharts' "finished" event)."""
    charts = page.locator("[data-chart]")
    assert sorted(charts.evaluate_all("els => els.map(el => el.dataset.chart)")) == sorted(CHARTS)
    for name in CHARTS:
        chart = page.locator(f'[data-chart="{name}"]')
        expect(chart).to_have_attribute("data-rendered", "true")
        expect(chart.locator("canvas")).to_have_count(1)
        box = chart.locator("canvas").bounding_box()  # drawn in a hidden element, it would be 0 px wide
        assert box["width"] > 200 and box["height"] > 200, (name, box)


def _listed(page) -> list[str]:
    """The tracking codes of the desk list's rows."""
    page.wait_for_url("**/desk/concerns/?**")
    return [row.get_attribute("data-tracking") for row in page.locator("tr.concern-row[data-tracking]").all()]


def _click_through(page, link) -> tuple[int, list[str]]:
    """Click a cockpit number: the number shown, and the rows of the desk list it opened."""
    number = int(link.inner_text())
    link.click()
    return number, _listed(page)


def _watch_errors(page) -> list:
    """Console errors and uncaught exceptions of the page, from now on."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.mark.django_db(transaction=True)
def test_the_charts_draw_under_the_policy_and_each_number_lists_its_records(browser, live_server, town):
    watch = CspWatch()
    page = logged_in(browser, live_server, town.official, **DESKTOP)
    watch.attach(page.context)
    errors = _watch_errors(page)
    with watch.checked(least_pages=2):
        _cockpit(page, live_server)
        _wait_for_charts(page)
        expect(page.locator('tr[data-figure="total"] a[data-period="current"]')).to_have_text("9")
        screenshot(page, "cockpit-desktop")
        screenshot(page, "cockpit-desktop-top", full_page=False)
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll_width <= client_width + 1

        expected = {
            'tr[data-figure="overdue"]': _codes(town, "overdue"),
            'tr[data-figure="fixed"]': _codes(town, "fixed_awaiting_rating", "fixed_basic"),
            'tr[data-figure="explained"]': _codes(town, "explained"),
            'tr[data-figure="reopened"]': _codes(town, "reopened"),
            'tr[data-figure="rejected"]': _codes(town, "rejected"),
            'tr[data-figure="duplicate"]': _codes(town, "merged"),
            '#channel-table tr[data-figure="channel_qr"]': set(_codes(town, *town.a)) - _codes(town, "by_phone"),
            '#channel-table tr[data-figure="channel_phone"]': _codes(town, "by_phone"),
        }
        for row, codes in expected.items():
            _cockpit(page, live_server)
            number, listed = _click_through(page, page.locator(f'{row} a[data-period="current"]'))
            assert set(listed) == codes, row
            assert number == len(listed), row
            if "channel" not in row:  # the desk list names the cockpit's figure it shows
                expect(page.locator("#figure-filter")).to_be_visible()
        screenshot(page, "cockpit-drilled-channel-phone", full_page=False)

        _cockpit(page, live_server)
        roads = page.locator("#breakdown-table-category a", has_text="道路交通")
        roads.click()
        assert _listed(page) == [town.a["by_phone"].tracking]
        _cockpit(page, live_server)
        page.locator("#breakdown-table-category tr", has_text="环境卫生").locator("td a").click()  # open ones
        assert set(_listed(page)) == _codes(town, "submitted", "overdue", "reopened")

        # A bar of the trend: this month's "received", clicked on the canvas where ECharts drew it.
        _cockpit(page, live_server)
        _wait_for_charts(page)
        trend = page.locator("#chart-trend")
        x, y = trend.evaluate("""el => {
          const chart = echarts.getInstanceByDom(el);
          const received = chart.getOption().series[0].data;
          const last = received.length - 1;
          return chart.convertToPixel({seriesIndex: 0}, [last, received[last] * 0.8]);
        }""")
        trend.hover(position={"x": x, "y": y})  # its tooltip, under the CSP too
        page.wait_for_timeout(300)
        screenshot(page, "cockpit-trend-tooltip", full_page=False)
        trend.click(position={"x": x, "y": y})
        assert set(_listed(page)) == set(_codes(town, *town.a))
        today = timezone.localdate()
        assert f"date_from={today.replace(day=1).isoformat()}" in page.url

    assert errors == []
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_tables_stand_and_their_links_work(browser, live_server, town):
    page = logged_in(browser, live_server, town.official, **DESKTOP, java_script_enabled=False)
    _cockpit(page, live_server)

    for table in ("#trend-table", "#channel-table", "#overdue-table", "#breakdown-table-category"):
        expect(page.locator(table)).to_be_visible()
    for name in CHARTS:
        expect(page.locator(f'[data-chart="{name}"]')).to_be_hidden()  # never drawn: no blank space for them
    assert page.locator("#overdue-table a").all_inner_texts() == [town.a["overdue"].tracking]
    screenshot(page, "cockpit-no-javascript")

    number, listed = _click_through(page, page.locator('tr[data-figure="fixed"] a[data-period="current"]'))
    assert (number, set(listed)) == (2, _codes(town, "fixed_awaiting_rating", "fixed_basic"))
    _cockpit(page, live_server)
    page.locator("#overdue-table a").click()
    page.wait_for_url(f"**/desk/concerns/{town.a['overdue'].tracking}/")
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_the_cockpit_fits_a_360_px_phone_with_text_at_200_percent(large_text_phone, live_server, town):  # noqa: F811
    phone = large_text_phone
    log_in(phone, live_server, town.official)
    _cockpit(phone, live_server)
    _wait_for_charts(phone)

    assert phone.evaluate("getComputedStyle(document.documentElement).fontSize") == f"{LARGE_TEXT_PX}px"
    screenshot(phone, "cockpit-phone-large-text")
    for name in CHARTS:
        phone.locator(f"[data-chart={name}]").screenshot(path=str(SCREENSHOTS / f"cockpit-phone-chart-{name}.png"))
    assert_no_horizontal_scroll(phone)
    # What is wider than the phone scrolls inside a wrapper of its own (a table, the tab bar), not the page.
    wide = phone.locator("#main *").evaluate_all("""els => {
      const scrolls = el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
      const inScroller = el => {
        for (let up = el.parentElement; up; up = up.parentElement) if (scrolls(up)) return true;
        return false;
      };
      const edge = document.documentElement.clientWidth + 1;
      return els.filter(el => el.getBoundingClientRect().right > edge && !inScroller(el))
        .map(el => el.tagName + (el.id ? "#" + el.id : "") + "." + el.className);
    }""")
    assert wide == []


@pytest.mark.django_db(transaction=True)
def test_each_township_official_sees_their_own_township_alone(browser, live_server, town):
    for official, own, other, total in ((town.official, "a", "b", "9"), (town.b_official, "b", "a", "2")):
        page = logged_in(browser, live_server, official, **DESKTOP)
        _cockpit(page, live_server)
        expect(page.locator('tr[data-figure="total"] a[data-period="current"]')).to_have_text(total)
        html = page.content()
        assert [name for name in town.names[own] if name in html]  # the check below can see names at all
        assert not [name for name in town.names[other] if name in html]
        mine, theirs = getattr(town, own), getattr(town, other)
        assert not [c.tracking for c in theirs.values() if c.tracking in html]
        assert page.locator("#overdue-table a").all_inner_texts() == [mine["overdue"].tracking]
        number, listed = _click_through(page, page.locator('tr[data-figure="total"] a[data-period="current"]'))
        assert set(listed) == {c.tracking for c in mine.values()} and number == len(listed)
        if official == town.b_official:
            _cockpit(page, live_server)
            _wait_for_charts(page)
            screenshot(page, "cockpit-second-township", full_page=False)
        page.context.close()

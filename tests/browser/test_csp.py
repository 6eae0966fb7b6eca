"""Every kind of page works under the Content-Security-Policy (docs/security.md) in Chromium.

Each browser context carries a watcher: an init script that reports every `securitypolicyviolation` event
of every document (popups included) to the test, and a console listener for Chromium's "Refused to … because
it violates the following Content Security Policy directive" lines. The tests visit the public pages as a
constituent, the back office as each desk role, the print pages, and the admin as its superuser — using the
scripts on each (ticking all rows, the patrol's position, select2 autocompletes, inlines, the calendar,
changelist actions, a related-object popup) — and fail on any violation, naming the page and the directive.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from liaison import roles
from petitions import workflow
from petitions.models import Reception
from petitions.services import concern_assign
from tests.browser.conftest import DESKTOP, PHONE, logged_in
from tests.browser.public_pages import PAGES, open_public_page, public_site  # noqa: F401
from tests.factories import (
    CategoryFactory,
    ConcernFactory,
    DeputyFactory,
    LiaisonHouseholdFactory,
    SiteFactory,
    UnitFactory,
    UserFactory,
    VillageFactory,
)

_REPORT = """
(() => {
  if (location.protocol.startsWith("http")) window.__cspPage(location.pathname + location.search);
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolation({
      page: location.pathname,
      directive: event.violatedDirective,
      blocked: event.blockedURI,
      sample: event.sample,
      source: `${event.sourceFile}:${event.lineNumber}`,
    });
  }, true);
})();
"""


@dataclass
class CspWatch:
    violations: list = field(default_factory=list)
    pages: list = field(default_factory=list)  # every document loaded, in order

    def attach(self, context) -> None:
        context.expose_binding("__cspViolation", lambda source, violation: self.violations.append(violation))
        context.expose_binding("__cspPage", lambda source, path: self.pages.append(path))
        context.add_init_script(_REPORT)
        context.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append({"console": message.text, "page": message.page.url if message.page else ""})

    def context(self, browser, **options):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        self.attach(context)
        return context

    @contextmanager
    def checked(self, *, least_pages: int):
        """Fails on any violation — also when a step failed first, since a refused script is the likely cause."""
        try:
            yield self
        except Exception as error:
            if self.violations:
                raise AssertionError(self._report()) from error
            raise
        print(f"\nCSP: {len(self.pages)} pages visited, {len(self.violations)} violations")
        assert self.violations == [], self._report()
        # A watcher that reports nothing at all would pass every page: it must at least have seen them load.
        assert len(self.pages) >= least_pages, self.pages

    def _report(self) -> str:
        return "Content-Security-Policy violations:\n" + "\n".join(map(str, self.violations))


def _logged_in(watch: CspWatch, browser, live_server, user, **options):
    page = logged_in(browser, live_server, user, **(options or PHONE))
    watch.attach(page.context)
    return page


def _user(role: str, username: str):
    user = UserFactory(username=username, is_staff=role != roles.HANDLER)
    user.groups.add(Group.objects.get(name=role))
    return user


# --- the watcher itself ----------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_the_watcher_sees_an_inline_script_and_a_style_attribute_being_refused(browser, live_server):
    watch = CspWatch()
    page = watch.context(browser, **PHONE).new_page()
    page.goto(f"{live_server.url}/t/")

    page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.ran = true";
      document.body.append(script);
      document.body.setAttribute("style", "color: red");
    }""")
    refused = set()
    for _ in range(50):  # the events reach the test asynchronously
        refused = {v["directive"].split("-")[0] for v in watch.violations if "directive" in v}
        if refused >= {"script", "style"}:
            break
        page.wait_for_timeout(100)

    assert page.evaluate("window.ran") is None
    assert refused == {"script", "style"}
    assert "/t/" in watch.pages
    page.context.close()


# --- public pages ----------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_public_pages_work_under_the_policy(browser, live_server, public_site):  # noqa: F811
    watch = CspWatch()
    with watch.checked(least_pages=len(PAGES) + 4):
        _visit_public_pages(watch, browser, live_server.url, public_site)


def _visit_public_pages(watch: CspWatch, browser, base: str, records: dict) -> None:
    phone = watch.context(browser, **PHONE).new_page()
    for name in PAGES:
        status = open_public_page(phone, base, records, name)
        assert status == (404 if name == "not found" else 200), name
    # The receipt's own tracking page shows the filer their text; lookup by code; the QR image as a document.
    phone.goto(f"{base}/t/")
    phone.fill("input[name=code]", records["filed"].tracking)
    with phone.expect_navigation():
        phone.locator("#main form button[type=submit]").click()
    phone.goto(f"{base}/d/{records['deputy'].code}/qr.svg")
    phone.goto(f"{base}/accounts/login/")
    phone.goto(f"{base}/activities/")
    # The menu and the language switch (a form posting to /i18n/setlang/).
    phone.goto(f"{base}/d/")
    phone.locator("#site-menu > summary").click()
    with phone.expect_navigation():
        phone.get_by_role("button", name="English", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Deputy directory")
    phone.context.close()


# --- the back office -------------------------------------------------------------------------------

@pytest.fixture
def desk_cast(db, deputy_user, handler, unit, category, staff, official):
    concern = ConcernFactory(deputy=deputy_user.deputy, category=category, mobile="13812345678", name="陈西荣",
                             content="家门口葡萄园环境卫生差，影响生活。")
    ConcernFactory(category=category, content="村口路灯不亮。")
    assigned = concern_assign(concern=ConcernFactory(category=category), unit=unit, actor=None, role=workflow.STAFF)
    return {"concern": concern, "assigned": assigned, "deputy": deputy_user, "handler": handler, "staff": staff,
            "official": official, "county": _user(roles.COUNTY_OFFICIAL, "county")}


@pytest.mark.django_db(transaction=True)
def test_back_office_and_print_pages_work_under_the_policy(browser, live_server, desk_cast):
    watch = CspWatch()
    with watch.checked(least_pages=18):
        _visit_back_office(watch, browser, live_server, desk_cast)


def _visit_back_office(watch: CspWatch, browser, live_server, desk_cast: dict) -> None:
    base = live_server.url
    tracking = desk_cast["concern"].tracking

    desk = _logged_in(watch, browser, live_server, desk_cast["staff"], **DESKTOP)
    desk.goto(f"{base}/desk/concerns/")
    desk.check("[data-select-all]")  # desk.js
    expect(desk.locator("#bulk-count")).to_have_text("3")
    for path in ["/desk/", f"/desk/concerns/{tracking}/", "/desk/receptions/", "/desk/receptions/new/",
                 "/desk/receptions/phone/", "/staff/deputies/import/", "/staff/deputies/households/",
                 "/staff/deputies/households/not-contacted/", "/staff/activities/", "/staff/activities/new/",
                 "/staff/activities/new/report/"]:
        assert desk.goto(base + path).status == 200, path
    for path in ["/desk/receptions/print/", "/staff/deputies/window/"]:  # print pages: print.js
        assert desk.goto(base + path).status == 200, path
        expect(desk.locator("#print")).to_be_visible()
    desk.goto(f"{base}/desk/concerns/{tracking}/")
    desk.locator("details[data-action=assign] summary").click()
    desk.select_option("#form-assign select[name=assign-unit]", label="白塔村驻村干部组")
    with desk.expect_navigation():
        desk.locator("#form-assign button[type=submit]").click()
    desk.context.close()

    deputy = _logged_in(watch, browser, live_server, desk_cast["deputy"], **PHONE, permissions=["geolocation"],
                        geolocation={"latitude": 28.85, "longitude": 120.73})
    deputy.goto(f"{base}/desk/inbox/")
    deputy.goto(f"{base}/desk/households/")
    assert deputy.goto(f"{base}/desk/concerns/").status == 403  # the error page
    deputy.goto(f"{base}/desk/patrol/")
    deputy.click("#patrol-locate")  # patrol.js
    expect(deputy.locator('input[data-patrol="latitude"]')).to_have_value("28.850000")
    deputy.context.close()

    handler = _logged_in(watch, browser, live_server, desk_cast["handler"])
    handler.goto(f"{base}/desk/unit/")
    handler.goto(f"{base}/desk/concerns/{desk_cast['assigned'].tracking}/")
    handler.context.close()

    for who in ("official", "county"):
        page = _logged_in(watch, browser, live_server, desk_cast[who], **DESKTOP)
        page.goto(f"{base}/desk/concerns/" if who == "official" else f"{base}/desk/county/")
        page.context.close()


# --- the admin -------------------------------------------------------------------------------------

@pytest.fixture
def admin_rows(db, admin_user, category):
    deputy = DeputyFactory(name="王智慧")
    LiaisonHouseholdFactory(deputy=deputy)
    VillageFactory(name="白塔村")
    site = SiteFactory(name="白塔镇人大代表联络站")
    UnitFactory(name="镇城建办")
    concern = ConcernFactory(deputy=deputy, category=category)
    reception = Reception.objects.create(site=site, constituent=concern.constituent, matters="路灯坏了",
                                         township=site.township)
    return {"admin": admin_user, "deputy": deputy, "concern": concern, "category": CategoryFactory(name="道路交通"),
            "reception": reception}


def _admin_autocomplete(page, field: str, typed: str) -> None:
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    option = page.locator(".select2-results__option", has_text=typed).first
    expect(option).to_be_visible()
    option.click()


@pytest.mark.django_db(transaction=True)
def test_the_admin_works_under_the_policy(browser, live_server, admin_rows):
    watch = CspWatch()
    with watch.checked(least_pages=15):
        _visit_admin(watch, browser, live_server, admin_rows)


def _visit_admin(watch: CspWatch, browser, live_server, admin_rows: dict) -> None:
    base = live_server.url
    deputy = admin_rows["deputy"]
    page = _logged_in(watch, browser, live_server, admin_rows["admin"], **DESKTOP)

    page.goto(f"{base}/admin/")
    page.locator("button.theme-toggle").first.click()  # theme.js

    # A changelist: search, filters, date hierarchy, select all and run an action (actions.js).
    page.goto(f"{base}/admin/deputies/deputy/?q=王")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "regenerate_qr")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    page.goto(f"{base}/admin/petitions/concern/")
    page.locator("#toggle-nav-sidebar").click()  # nav_sidebar.js

    # A change form with an inline, autocompletes (select2 over /admin/autocomplete/) and a related popup.
    page.goto(f"{base}/admin/deputies/deputy/{deputy.pk}/change/")
    _admin_autocomplete(page, "village", "白塔村")
    page.locator(".inline-group .add-row a").first.click()  # inlines.js
    with page.context.expect_page() as popup_info:
        page.locator("#add_id_site").click()
    popup = popup_info.value
    popup.fill("#id_name", "第九联络点")
    popup.select_option("#id_kind", index=1)
    popup.locator("input[name=_save]").click()  # popup_response.js closes it and fills the field
    popup.wait_for_event("close")
    expect(page.locator(".field-site .select2-selection__rendered")).to_contain_text("第九联络点")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.goto(f"{base}/admin/deputies/deputy/{deputy.pk}/history/")

    # The concern's change form: photo and event inlines, readonly workflow fields.
    page.goto(f"{base}/admin/petitions/concern/{admin_rows['concern'].pk}/change/")

    # Date widgets (calendar.js, DateTimeShortcuts.js) and a filter_horizontal (SelectFilter2.js).
    page.goto(f"{base}/admin/liaison/calendarday/add/")
    page.locator("#calendarlink0").click()
    page.locator("#calendarbox0 .calendar td a").first.click()
    expect(page.locator("#id_date")).not_to_have_value("")
    # A reception's change page (the admin adds none: the desk records them).
    page.goto(f"{base}/admin/petitions/reception/{admin_rows['reception'].pk}/change/")
    page.locator(".datetimeshortcuts a").first.click()  # "Today"
    expect(page.locator(".selector-available")).to_be_visible()
    page.goto(f"{base}/admin/auth/user/add/")  # unusable_password_field.js
    page.goto(f"{base}/admin/petitions/category/")  # list_editable
    page.goto(f"{base}/admin/petitions/category/{admin_rows['category'].pk}/delete/")
    page.goto(f"{base}/admin/liaison/calendarday/")
    page.context.close()

"""Who gets what: every route of the URL resolver × every role → the answer expected (issue 8, item 1).

tests/test_access_table.py asks each route below as each role and compares, on one township built by
tests/isolation.build_town (a case addressed to its deputy and assigned to its handler's unit, photos,
a reception, a row of every model) and a second, empty township, so that the county's accounts look at
the whole county. A route of the resolver missing here fails test_every_route_is_in_the_table.

Adding a route is one line in ROUTES: its key (the URL name, as tests/routes.py keys them), what to ask
and who gets what, with the shorthands below. The admin's model pages come from ADMIN_MODELS, a line
per model. Paths and form values take the fixture's values by name: {case} (a tracking code every desk
role may see), {resolved} (a resolved case of the same deputy), {deputy_code}, {site_code},
{public_photo}, {private_photo}, {media_file} (a public upload), {township} (its code), {category_code},
{user} (an account's pk), {public_suggestion} and {suggestion_code} (the codes of a public suggestion and of
one still being handled), {concern_type} and {concern_pk} (for the admin's "view on site"); an admin
model page takes {pk}, a row of that model.

The roles: the township's four desk roles (members of the township), the county official and the
superuser (county accounts, no township: they look at the whole county until they choose one), a
visitor, and a staff member deactivated after logging in (their session no longer counts).
"""

from dataclasses import dataclass, field

ROLES = ("anonymous", "deputy", "staff", "handler", "official", "county_official", "admin", "deactivated")
SIGNED_IN = ("deputy", "staff", "handler", "official", "county_official", "admin")
SIGNED_OUT = ("anonymous", "deactivated")
IS_STAFF = ("staff", "official", "county_official", "admin")  # the accounts the Django admin lets in

# --- the answers ------------------------------------------------------------------------------------

OK = 200
REDIRECT = "302"  # does its work and sends on, anywhere but a login page
LOGIN = "302→login"  # to /accounts/login/?next=…
ADMIN_LOGIN = "302→admin login"  # to /admin/login/?next=…
DENIED = 403
NOT_FOUND = 404
NOT_ALLOWED = 405  # a GET on a POST-only route
CHOOSE = 409  # a county account looking at the whole county: choose a township first (one_township_required)


def everyone(answer) -> dict:
    return dict.fromkeys(ROLES, answer)


def back_office(*allowed: str, answer=OK, **others) -> dict:
    """A back-office page: `allowed` get `answer`, the other accounts 403, the signed-out the login page;
    `others` names a role's own answer (county_official=CHOOSE)."""
    return {**dict.fromkeys(SIGNED_OUT, LOGIN), **dict.fromkeys(SIGNED_IN, DENIED), **dict.fromkeys(allowed, answer),
            **others}


def django_admin(*allowed: str, answer=OK, **others) -> dict:
    """An admin page: `allowed` get `answer`, the other staff accounts 403, everyone else the admin's login."""
    return {**dict.fromkeys(ROLES, ADMIN_LOGIN), **dict.fromkeys(IS_STAFF, DENIED), **dict.fromkeys(allowed, answer),
            **others}


EVERY_DESK_ROLE = SIGNED_IN
OFFICE = ("staff", "official", "county_official", "admin")  # see every case of their township(s)
BACK_OFFICE_STAFF_ONLY = ("staff", "admin")  # record receptions and calls, import deputies

# A page for the township's deputies and its back office, that nobody else may know exists.
DEPUTIES_AND_OFFICE = {**everyone(NOT_FOUND), **dict.fromkeys(("deputy", *OFFICE), OK)}

# --- what to ask ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    method: str
    path: str
    expect: dict  # role → answer
    data: dict = field(default_factory=dict)  # the query of a GET, the form of a POST
    fresh: bool = False  # from a client logged in just for it: the ask ends or changes the session
    model: str = ""  # an admin model page: the model whose row {pk} names


def get(path: str, expect: dict, **query) -> list[Ask]:
    return [Ask("GET", path, expect, query)]


def post(path: str, expect: dict, *, fresh: bool = False, **form) -> list[Ask]:
    """A POST-only route: the POST, and a GET that every role, signed in or not, gets 405 for."""
    return [Ask("POST", path, expect, form, fresh), Ask("GET", path, everyone(NOT_ALLOWED))]


EVER = {"date_from": "2000-01-01", "date_to": "2100-12-31"}

# --- the routes, by key -----------------------------------------------------------------------------

ROUTES: dict[str, list[Ask]] = {
    # The back office (petitions.views.work*, receptions; liaison.roles.role_required)
    "desk:home": get("/desk/", back_office(*EVERY_DESK_ROLE, answer=REDIRECT)),  # to the role's own list
    "desk:concerns": get("/desk/concerns/", back_office(*OFFICE)),
    "desk:forward": post("/desk/concerns/forward/", back_office(*OFFICE, answer=REDIRECT, county_official=CHOOSE,
                                                                admin=CHOOSE)),
    "desk:export": get("/desk/concerns/export.xlsx", back_office(*OFFICE), **EVER),
    "desk:held": get("/desk/held/", back_office(*OFFICE)),
    "desk:inbox": get("/desk/inbox/", back_office("deputy")),
    "desk:unit": get("/desk/unit/", back_office("handler")),
    "desk:patrol": get("/desk/patrol/", back_office("deputy")),
    "desk:county": get("/desk/county/", back_office("county_official", "admin")),
    # The cockpit (dashboard.cockpit_views): a county account sees the whole county until it chooses.
    "dashboard:cockpit": get("/cockpit/", back_office(*OFFICE)),
    "dashboard:cockpit_export": get("/cockpit/export.xlsx", back_office(*OFFICE)),
    # A deputy's own liaison households ({household} and {household_contact} are the deputy's)
    "desk:households": get("/desk/households/", back_office("deputy")),
    "desk:household_contact_new": get("/desk/households/{household}/contact/", back_office("deputy")),
    "desk:household_contact": get("/desk/households/contacts/{household_contact}/", back_office("deputy")),
    "desk:household_contact_raise": post("/desk/households/contacts/{household_contact}/concern/",
                                         back_office("deputy")),  # empty form: shown again
    "desk:concern": get("/desk/concerns/{case}/", back_office(*EVERY_DESK_ROLE)),
    # Deputies' suggestions ({suggestion}: the deputy's, assigned to the handler's unit)
    "desk:suggestions": get("/desk/suggestions/", back_office("deputy", "handler", *OFFICE)),
    "desk:suggestion_new": get("/desk/suggestions/new/", back_office("deputy")),
    "desk:suggestion": get("/desk/suggestions/{suggestion}/", back_office("deputy", "handler", *OFFICE)),
    # Extend, with an empty form: the officials' form is shown again, the others' move refused.
    "desk:suggestion_act": post("/desk/suggestions/{suggestion}/act/extend/", back_office(
        "deputy", "staff", "handler", answer=REDIRECT, official=OK, county_official=OK, admin=OK)),
    "desk:suggestion_cosign": post("/desk/suggestions/{suggestion}/cosign/", back_office()),  # nobody invited
    "desk:suggestion_co_view": post("/desk/suggestions/{suggestion}/view/", back_office()),  # no co-handling unit
    "desk:act": post("/desk/concerns/{case}/act/accept/", back_office(*EVERY_DESK_ROLE, answer=REDIRECT)),
    "desk:comment": post("/desk/concerns/{case}/comment/", back_office(*EVERY_DESK_ROLE, answer=REDIRECT),
                         **{"comment-note": "看看"}),
    "accounts:verify": get("/accounts/verify/", back_office(*EVERY_DESK_ROLE, answer=REDIRECT)),
    "accounts:two_factor": get("/accounts/two-factor/", back_office(*EVERY_DESK_ROLE)),
    "accounts:enrol": get("/accounts/two-factor/setup/", back_office(*EVERY_DESK_ROLE, answer=REDIRECT, deputy=OK)),
    "accounts:recovery_codes": post("/accounts/two-factor/recovery-codes/",
                                    back_office(*EVERY_DESK_ROLE, answer=REDIRECT), fresh=True),
    "accounts:reset_own": post("/accounts/two-factor/reset/", back_office(*EVERY_DESK_ROLE, answer=REDIRECT),
                               fresh=True),
    "accounts:township": get("/accounts/township/", back_office(*OFFICE)),
    # {user} is the station's staff account: staff may not unlock or reset themselves.
    "accounts:unlock": post("/accounts/township/{user}/unlock/", back_office(
        "official", "county_official", "admin", answer=REDIRECT, staff=NOT_FOUND)),
    "accounts:reset_two_factor": post("/accounts/township/{user}/reset-two-factor/", back_office(
        "official", "county_official", "admin", answer=REDIRECT, staff=NOT_FOUND), fresh=True),
    "desk:reveal_mobile": post("/desk/concerns/{case}/reveal/", back_office(*EVERY_DESK_ROLE, answer=REDIRECT)),
    "desk:correct": post("/desk/concerns/{case}/correct/", back_office(*OFFICE)),  # empty form: shown again
    "desk:correct_constituent": post("/desk/concerns/{case}/constituent/", back_office(*OFFICE)),
    "desk:erase_constituent": post("/desk/concerns/{case}/erase/", back_office(*OFFICE)),
    "receptions:reveal_mobile": post("/desk/receptions/reveal/", back_office(*OFFICE, answer=REDIRECT)),
    "receptions:list": get("/desk/receptions/", back_office(*OFFICE)),
    "receptions:new": get("/desk/receptions/new/", back_office(*BACK_OFFICE_STAFF_ONLY, admin=CHOOSE)),
    "receptions:export": get("/desk/receptions/export.xlsx", back_office(*OFFICE), **EVER),
    "receptions:print": get("/desk/receptions/print/", back_office(*OFFICE), **EVER),
    "receptions:phone": get("/desk/receptions/phone/", back_office(*BACK_OFFICE_STAFF_ONLY, admin=CHOOSE)),
    # The directory's printing and import (by permission: deputies.print_window, deputies.import_deputies)
    "deputies_staff:window": get("/staff/deputies/window/", back_office("staff", "official", "admin")),
    "deputies_staff:window_pdf": get("/staff/deputies/window.pdf", back_office("staff", "official", "admin")),
    "deputies_staff:import": get("/staff/deputies/import/", back_office(*BACK_OFFICE_STAFF_ONLY, admin=CHOOSE)),
    "deputies_staff:import_template": get("/staff/deputies/import/template.csv",
                                          back_office(*BACK_OFFICE_STAFF_ONLY)),
    "deputies_staff:households": get("/staff/deputies/households/", back_office(*OFFICE)),
    "deputies_staff:households_not_contacted": get("/staff/deputies/households/not-contacted/", back_office(*OFFICE)),
    # The duty roster (deputies.views.duty): staff and officials run it, deputies see their own shifts
    "duty:roster": get("/staff/duty/", back_office("staff", "official", county_official=CHOOSE, admin=CHOOSE)),
    "duty:rule": post("/staff/duty/rule/", back_office("staff", "official", answer=REDIRECT, county_official=CHOOSE,
                                                       admin=CHOOSE)),
    "duty:generate": post("/staff/duty/generate/", back_office("staff", "official", answer=REDIRECT,
                                                               county_official=CHOOSE, admin=CHOOSE)),
    "duty:publish": post("/staff/duty/publish/", back_office("staff", "official", answer=REDIRECT,
                                                             county_official=CHOOSE, admin=CHOOSE)),
    "duty:day": get("/staff/duty/day/{duty_day}/", back_office("staff", "official", county_official=CHOOSE,
                                                              admin=CHOOSE)),
    **{f"duty:{name}": post(f"/staff/duty/day/{{duty_day}}/{name}/", back_office(
        "staff", "official", county_official=CHOOSE, admin=CHOOSE)) for name in ("override", "replace", "swap")},
    "duty:attendance": post("/staff/duty/day/{duty_day}/attendance/", back_office(
        "staff", "official", answer=REDIRECT, county_official=CHOOSE, admin=CHOOSE)),
    "duty:balance": get("/staff/duty/balance/", back_office("staff", "official", county_official=CHOOSE,
                                                            admin=CHOOSE)),
    "duty:swaps": get("/staff/duty/swaps/", back_office("staff", "official", county_official=CHOOSE, admin=CHOOSE)),
    "duty:swap_move": post("/staff/duty/swaps/{swap}/refuse/", back_office(
        "deputy", "staff", "official", answer=REDIRECT, county_official=CHOOSE, admin=CHOOSE)),
    "duty:mine": get("/staff/duty/mine/", back_office("deputy")),
    "duty:ask": post("/staff/duty/shift/{shift}/ask/", back_office("deputy", answer=REDIRECT)),
    "duty:feed_revoke": post("/staff/duty/feed/revoke/", back_office("deputy", answer=REDIRECT)),
    "duty:feed_revoke_for": post("/staff/duty/feed/revoke/{deputy_code}/", back_office(
        "staff", "official", answer=REDIRECT, county_official=CHOOSE, admin=CHOOSE)),
    "duty:check_in": post("/staff/duty/check-in/{site_code}/", back_office("deputy", answer=REDIRECT)),
    # Activities and reports to voters (deputies.views.activities), and an enterprise's opinion → a concern
    "activities_staff:list": get("/staff/activities/", back_office(*OFFICE)),
    "activities_staff:new": get("/staff/activities/new/", back_office(*OFFICE, county_official=CHOOSE, admin=CHOOSE)),
    "activities_staff:report_new": get("/staff/activities/new/report/",
                                       back_office(*OFFICE, county_official=CHOOSE, admin=CHOOSE)),
    "activities_staff:activity": get("/staff/activities/{internal_activity}/", back_office(*OFFICE)),
    "activities_staff:edit": get("/staff/activities/{internal_activity}/edit/", back_office(*OFFICE)),
    "desk:opinion_concern": get("/desk/opinions/{opinion}/concern/", back_office(*OFFICE)),
    # The duty record (deputies/views/record.py): the timeline for the office; the work report also for the
    # deputy whose it is ({deputy_code} is the deputy account's own; another's: tests/deputies/test_record.py)
    "deputies_staff:record": get("/staff/deputies/{deputy_code}/record/", back_office(*OFFICE)),
    "deputies_staff:report": get("/staff/deputies/{deputy_code}/report/", back_office("deputy", *OFFICE)),
    "deputies_staff:report_pdf": get("/staff/deputies/{deputy_code}/report.pdf", back_office("deputy", *OFFICE)),
    "deputies_staff:my_report": get("/staff/deputies/my-report/", back_office("deputy", answer=REDIRECT)),
    # The vote on livelihood projects (projects.views): staff and officials run it; {vote} is announced, {open_vote}
    # open. The moves asked are refused ones (open an open vote): the page says why and nothing changes.
    "projects_staff:sessions": get("/staff/projects/", back_office(*OFFICE)),
    "projects_staff:candidates": get("/staff/projects/candidates/", back_office(*OFFICE)),
    "projects_staff:candidate_new": get("/staff/projects/candidates/new/",
                                        back_office(*OFFICE, county_official=CHOOSE, admin=CHOOSE)),
    "projects_staff:session_new": get("/staff/projects/votes/new/",
                                      back_office(*OFFICE, county_official=CHOOSE, admin=CHOOSE)),
    "projects_staff:session": [*get("/staff/projects/votes/{open_vote}/", back_office(*OFFICE)),
                               *get("/staff/projects/votes/{vote}/", back_office(*OFFICE))],
    # A chosen project carried out (projects.progress_views): {livelihood_project} is carried out by the handler's
    # unit and supervised by the deputy, its rating published; {milestone} is planned, {supervision_comment} open.
    # The forms are posted empty: shown again with why (200) to whoever may send them.
    "projects_staff:progress": get("/staff/projects/progress/", back_office(*EVERY_DESK_ROLE)),
    "projects_staff:project": get("/staff/projects/{livelihood_project}/", back_office(*EVERY_DESK_ROLE)),
    "projects_staff:milestone_new": post("/staff/projects/{livelihood_project}/milestones/",
                                         back_office("handler", *OFFICE)),
    "projects_staff:milestone_reach": post("/staff/projects/milestones/{milestone}/reach/",
                                           back_office("handler", *OFFICE)),
    "projects_staff:comment": post("/staff/projects/{livelihood_project}/comment/", back_office("deputy")),
    "projects_staff:answer": post("/staff/projects/comments/{supervision_comment}/answer/",
                                  back_office("handler", *OFFICE)),
    # Every year it may be rated for is published: nothing left to rate, back to the page with a message.
    "projects_staff:rate": post("/staff/projects/{livelihood_project}/rate/",
                                back_office("deputy", *OFFICE, answer=REDIRECT)),
    "projects_staff:ratings_publish": post("/staff/projects/{livelihood_project}/ratings/publish/",
                                           back_office(*OFFICE, answer=REDIRECT)),
    "projects_staff:move": post("/staff/projects/votes/{open_vote}/open/", back_office(*OFFICE, answer=REDIRECT)),
    "projects_staff:paper_ballot": post("/staff/projects/votes/{open_vote}/paper/",
                                        back_office(*OFFICE, answer=REDIRECT)),  # empty form: refused
    "projects_staff:paper_voters": post("/staff/projects/votes/{open_vote}/paper-voters/",
                                        back_office(*OFFICE, answer=REDIRECT)),  # empty form: refused
    # Study materials (dashboard.study_views): staff and officials write them; {deputies_material} is for deputies
    # only, {draft_material} unpublished. Publishing and taking down do their work and go back to the page.
    "study_staff:list": get("/staff/study/", back_office(*OFFICE)),
    "study_staff:new": get("/staff/study/new/", back_office(*OFFICE, county_official=CHOOSE, admin=CHOOSE)),
    "study_staff:material": [*get("/staff/study/{deputies_material}/", back_office(*OFFICE)),
                             *get("/staff/study/{draft_material}/", back_office(*OFFICE))],
    "study_staff:edit": get("/staff/study/{study_material}/edit/", back_office(*OFFICE)),
    "study_staff:publish": post("/staff/study/{draft_material}/publish/", back_office(*OFFICE, answer=REDIRECT)),
    "study_staff:unpublish": post("/staff/study/{study_material}/unpublish/", back_office(*OFFICE, answer=REDIRECT)),
    # The deputy's ballot, from the session's QR code: deputies of the township only
    "projects_ballot:ballot": get("/projects/votes/{open_vote}/ballot/", back_office("deputy")),
    # Anyone may post it; only a county account's choice is kept (tests/test_isolation.py)
    "county-choose": post("/county/township/", everyone(REDIRECT), fresh=True, township="", next="/desk/"),

    # The public pages: the same for every role, signed in or not
    "dashboard:portal": get("/", everyone(OK)),
    "dashboard:screen": get("/screen/", everyone(OK)),
    "dashboard:screen_json": get("/screen/data.json", everyone(OK)),
    "dashboard:site_screen": get("/screen/{site_code}/", everyone(OK)),
    "dashboard:site_screen_json": get("/screen/{site_code}/data.json", everyone(OK)),
    "deputies:directory": get("/d/", everyone(OK)),
    "deputies:profile": get("/d/{deputy_code}/", everyone(OK)),
    "deputies:qr_png": get("/d/{deputy_code}/qr.png", everyone(OK)),
    "deputies:qr_svg": get("/d/{deputy_code}/qr.svg", everyone(OK)),
    "sites:site": get("/s/{site_code}/", everyone(OK)),
    "sites:qr_png": get("/s/{site_code}/qr.png", everyone(OK)),
    "sites:qr_svg": get("/s/{site_code}/qr.svg", everyone(OK)),
    "duty_feed:ics": get("/duty/{feed_token}.ics", everyone(OK)),  # the secret token is the key
    "petitions:file_to_deputy": get("/d/{deputy_code}/concern/", everyone(OK)),
    "petitions:file_to_site": get("/s/{site_code}/concern/", everyone(OK)),
    "petitions:lookup": get("/t/", everyone(OK)),
    "petitions:track": get("/t/{case}/", everyone(OK)),
    "petitions:receipt": get("/t/{case}/receipt/", everyone(REDIRECT)),  # only the browser that filed it
    "petitions:verify": post("/t/{case}/verify/", everyone(REDIRECT), last4="0000"),
    "petitions:rate": post("/t/{resolved}/rate/", everyone(REDIRECT), satisfaction="satisfied"),
    # A public photo is anyone's; an internal one is for those who may see its case (petitions.access)
    "petitions:photo": [
        *get("{public_photo}", everyone(OK)),
        *get("{private_photo}", {**back_office(*EVERY_DESK_ROLE), **dict.fromkeys(SIGNED_OUT, NOT_FOUND)}),
    ],
    # The public activities: an internal one is nobody's page; its photos are for the back office of its township
    "activities:list": get("/activities/", everyone(OK)),
    "activities:activity": [*get("/activities/{activity}/", everyone(OK)),
                            *get("/activities/{internal_activity}/", everyone(NOT_FOUND))],
    "activities:photo": [
        *get("{activity_photo}", everyone(OK)),
        *get("{internal_activity_photo}", {**back_office(*OFFICE), **dict.fromkeys(
            ("deputy", "handler", *SIGNED_OUT), NOT_FOUND)}),
    ],
    # Adopted suggestions with their answers: public; one still being handled is nobody's public page.
    "petitions:suggestions": get("/suggestions/", everyone(OK)),
    "petitions:suggestion": [*get("/suggestions/{public_suggestion}/", everyone(OK)),
                             *get("/suggestions/{suggestion_code}/", everyone(NOT_FOUND))],
    "projects:list": get("/projects/", everyone(OK)),
    # Study materials: a public one is anyone's; a deputies-only one (and its file) is for the township's deputies
    # and back office, nobody else's page; a draft's page is nobody's, its file only the back office's.
    "study:list": get("/study/", everyone(OK)),
    "study:material": [*get("/study/{study_material}/", everyone(OK)),
                       *get("/study/{deputies_material}/", DEPUTIES_AND_OFFICE),
                       *get("/study/{draft_material}/", everyone(NOT_FOUND))],
    "study:pdf": [*get("/study/{study_material}/file.pdf", everyone(OK)),
                  *get("/study/{deputies_material}/file.pdf", DEPUTIES_AND_OFFICE)],
    "projects:detail": get("/projects/{livelihood_project}/", everyone(OK)),
    "projects:photo": get("{project_photo}", everyone(OK)),  # a project is public once its vote is announced
    "projects:result": [*get("/projects/votes/{vote}/", everyone(OK)),
                        *get("/projects/votes/{open_vote}/", everyone(NOT_FOUND))],  # not announced: nobody's
    "media": get("{media_file}", everyone(OK)),  # public uploads only: QR images, portraits
    "healthz": get("/healthz", everyone(OK)),
    "login": get("/accounts/login/", everyone(OK)),
    "logout": post("/accounts/logout/", everyone(REDIRECT), fresh=True),
    "set_language": [Ask("POST", "/i18n/setlang/", everyone(REDIRECT), {"language": "en", "next": "/"}, fresh=True),
                     *get("/i18n/setlang/", everyone(REDIRECT))],  # back, language unchanged

    # The open API: a session is no credential (the api_key is), so every role gets the same answer
    "open311:root": get("/open311/v2/", everyone(OK)),  # discovery
    "open311:discovery": get("/open311/v2/discovery.json", everyone(OK)),
    "open311:services": get("/open311/v2/services.json", everyone(OK), jurisdiction_id="{township}"),
    "open311:service": get("/open311/v2/services/{category_code}.json", everyone(OK), jurisdiction_id="{township}"),
    "open311:requests": [
        *get("/open311/v2/requests.json", everyone(OK), jurisdiction_id="{township}"),
        Ask("POST", "/open311/v2/requests.json", everyone(DENIED), {"jurisdiction_id": "{township}"}),  # no api_key
    ],
    "open311:request": get("/open311/v2/requests/{case}.json", everyone(OK), jurisdiction_id="{township}"),
    "open311:open311/v2/^(?P<rest>.*)$": get("/open311/v2/nosuch.json", everyone(NOT_FOUND)),

    # The admin's own pages (its model pages are ADMIN_MODELS below)
    "admin:index": get("/admin/", django_admin(*IS_STAFF)),
    "admin:app_list": [*get("/admin/auth/", django_admin("admin", staff=NOT_FOUND, official=NOT_FOUND,
                                                         county_official=NOT_FOUND)),
                       *get("/admin/petitions/", django_admin(*IS_STAFF))],
    "admin:login": get("/admin/login/", {**everyone(OK), **dict.fromkeys(IS_STAFF, REDIRECT)}),  # in already: on
    "admin:logout": [Ask("POST", "/admin/logout/", everyone(REDIRECT), fresh=True),  # to the portal
                     # Not let in, a GET is sent to the admin's index (which asks them to log in)
                     *get("/admin/logout/", {**everyone(REDIRECT), **dict.fromkeys(IS_STAFF, NOT_ALLOWED)})],
    "admin:password_change": get("/admin/password_change/", django_admin(*IS_STAFF)),
    "admin:password_change_done": get("/admin/password_change/done/", django_admin(*IS_STAFF)),
    "admin:jsi18n": get("/admin/jsi18n/", django_admin(*IS_STAFF)),
    "admin:autocomplete": get("/admin/autocomplete/", django_admin(*IS_STAFF), app_label="deputies",
                              model_name="deputy", field_name="village"),
    "admin:catch_all": get("/admin/no-such-page/", django_admin(*IS_STAFF, answer=NOT_FOUND)),
    "admin:auth_user_password_change": get("/admin/auth/user/{user}/password/", django_admin("admin")),
    # Served by view-on-site, which comes first: a row of the user's township(s) only (liaison.admin)
    "view-on-site": get("/admin/r/{concern_type}/{concern_pk}/", django_admin(*IS_STAFF, answer=REDIRECT)),
    "admin:view_on_site": get("/admin/r/{concern_type}/{concern_pk}/", django_admin(*IS_STAFF, answer=REDIRECT)),
}

# --- the admin's model pages ------------------------------------------------------------------------

# What each staff account may do with a model's rows: v(iew), a(dd), c(hange), d(elete); a role not
# named may do nothing (403 on each page). From liaison.roles.PERMISSIONS and the model admins: a
# township's rows are changed only within one township, so the county accounts, looking at the whole
# county, only read them (liaison.admin._InOneTownship); deputies and sites are never deleted (printed
# codes), concerns never added or deleted, the issued codes and the outbox never written.
_DIRECTORY = {"staff": "vac", "official": "v", "county_official": "v", "admin": "v"}
_CASE_SETUP = {"staff": "v", "official": "vac", "county_official": "v", "admin": "v"}
_CASE_RECORDS = {"staff": "vac", "official": "v", "county_official": "v", "admin": "v"}
_COUNTY_ADMIN_ONLY = {"admin": "vacd"}

ADMIN_MODELS: dict[str, dict[str, str]] = {
    "auth.group": _COUNTY_ADMIN_ONLY,
    "auth.user": _COUNTY_ADMIN_ONLY,
    "liaison.county": _COUNTY_ADMIN_ONLY,
    "liaison.township": _COUNTY_ADMIN_ONLY,
    "liaison.apiclient": _COUNTY_ADMIN_ONLY,
    "liaison.calendarday": {"staff": "v", "official": "vac", "county_official": "v", "admin": "vacd"},
    "liaison.notification": {"official": "v", "admin": "v"},
    "liaison.auditentry": {"official": "v", "county_official": "v", "admin": "v"},
    "deputies.area": _DIRECTORY,
    "deputies.village": _DIRECTORY,
    "deputies.site": _DIRECTORY,
    "deputies.deputy": _DIRECTORY,
    "deputies.liaisonhousehold": _DIRECTORY,
    "deputies.issuedcode": {"admin": "v"},
    "petitions.category": _CASE_SETUP,
    "petitions.unit": _CASE_SETUP,
    "petitions.answercategory": _CASE_SETUP,
    "petitions.constituent": {**_CASE_RECORDS, "staff": "vc"},
    "petitions.concern": {"staff": "vc", "official": "v", "county_official": "v", "admin": "v"},
    "petitions.reception": {**_CASE_RECORDS, "staff": "vc"},
    "petitions.filing": {"staff": "vc", "official": "v", "county_official": "v", "admin": "v"},
    "dashboard.studycategory": {"staff": "vacd", "official": "vacd", "county_official": "v", "admin": "v"},
}

# Which of v, a, c, d opens each page of a model (the admin: a change page reads with view alone).
_PAGES = {"changelist": ("", "vc"), "add": ("add/", "a"), "change": ("{pk}/change/", "vc"),
          "history": ("{pk}/history/", "vc"), "delete": ("{pk}/delete/", "d")}


def admin_model_asks(label: str, action: str) -> list[Ask]:
    """The asks of one admin page of a model (action: one of tests.routes.ADMIN_ACTIONS)."""
    can = ADMIN_MODELS[label]
    base = "/admin/{}/{}/".format(*label.split("."))
    if action == "redirect":  # an object's bare URL: on to its change page, for any staff account
        return [Ask("GET", base + "{pk}/", django_admin(*IS_STAFF, answer=REDIRECT), model=label)]
    page, needs = _PAGES[action]
    allowed = [role for role, letters in can.items() if set(needs) & set(letters)]
    return [Ask("GET", base + page, django_admin(*allowed), model=label)]

"""The public URL contract (docs/public-urls.md) lives here: printed QR codes depend on it.

/d/<code>/ and friends are pinned by tests/test_urls.py; never change them.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

from liaison.accounts.views import StationLoginView
from liaison.admin import view_on_site
from liaison.county import choose_township
from liaison.health import healthz

# The pages the public opens: their township is the host's, or that of the row their code names. Every
# other page is the back office, in the user's township (liaison.middleware.TownshipMiddleware): a page
# added without a thought here is the back office, which shows an anonymous visitor nothing.
PUBLIC_NAMESPACES = frozenset({"petitions", "deputies", "sites", "open311", "duty_feed", "activities", "projects",
                               "study"})
PUBLIC_VIEWS = frozenset({"dashboard:portal", "dashboard:screen", "dashboard:screen_json", "dashboard:site_screen",
                          "dashboard:site_screen_json", "healthz", "county-choose", "login", "logout", "set_language"})

urlpatterns = [
    path("", include("dashboard.urls")),
    # Before deputies: /d/<code>/concern/ and /s/<code>/concern/ are petitions' pages.
    path("", include("petitions.urls.public")),
    path("d/", include("deputies.urls.public")),
    path("s/", include("deputies.urls.sites")),
    path("staff/deputies/", include("deputies.urls.staff")),
    path("staff/duty/", include("deputies.urls.duty")),
    path("duty/", include("deputies.urls.duty_feed")),
    path("activities/", include("deputies.urls.activities")),
    path("staff/activities/", include("deputies.urls.activities_staff")),
    # Before projects/: the ballot (a deputy logged in) is back office, the result and the list are public.
    path("projects/votes/", include("projects.urls.ballot")),
    path("projects/", include("projects.urls.public")),
    path("staff/projects/", include("projects.urls.staff")),
    path("study/", include("dashboard.study_urls")),
    path("staff/study/", include("dashboard.study_staff_urls")),
    path("desk/", include("petitions.urls.work")),
    path("desk/receptions/", include("petitions.urls.receptions")),
    # The open API for the county's other systems (Open311 GeoReport v2); its paths are a contract too.
    path("open311/v2/", include("petitions.urls.open311")),
    path("healthz", healthz, name="healthz"),
    path("county/township/", choose_township, name="county-choose"),
    path("accounts/login/", StationLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The second login step, one's own two-factor page, the township's accounts (liaison/accounts/).
    path("accounts/", include("liaison.accounts.urls")),
    # Without a CSRF token: the switch is on every page, and a token in a page cached for all (liaison.public_pages)
    # would be one visitor's. A forged switch can only change the visitor's language cookie.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # Before admin/, in place of the admin's own, which finds any township's row (liaison.admin.view_on_site).
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site),
         name="view-on-site"),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    # Small installs serve uploads from Django; larger ones point a web server or
    # object storage at MEDIA_ROOT and set SERVE_MEDIA=false.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),  # never private media
    ]

handler400 = "liaison.errors.bad_request"
handler404 = "liaison.errors.not_found"
handler500 = "liaison.errors.server_error"

from django.urls import path

from dashboard import cockpit_views, views
from liaison.canonical import lower_case_codes

app_name = "dashboard"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("cockpit/", cockpit_views.cockpit_page, name="cockpit"),
    path("cockpit/export.xlsx", cockpit_views.export, name="cockpit_export"),
    path("screen/", views.screen, name="screen"),
    path("screen/data.json", views.screen_json, name="screen_json"),
    path("screen/<slug:code>/", lower_case_codes(views.screen), name="site_screen"),
    path("screen/<slug:code>/data.json", views.screen_json, name="site_screen_json"),
]

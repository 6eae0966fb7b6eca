from django.urls import path

from deputies.views import activities

app_name = "activities_staff"

urlpatterns = [
    path("", activities.office_list, name="list"),
    # Before <code>/: public codes are 7 characters, never "new" (3).
    path("new/", activities.activity_new, name="new"),
    path("new/report/", activities.report_new, name="report_new"),
    path("<slug:code>/", activities.office_detail, name="activity"),
    path("<slug:code>/edit/", activities.activity_edit, name="edit"),
]

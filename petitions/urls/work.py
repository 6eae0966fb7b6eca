from django.urls import path

from petitions.views import work, work_case, work_lists, work_patrol

app_name = "desk"

urlpatterns = [
    path("", work.home, name="home"),
    path("concerns/", work_lists.concerns, name="concerns"),
    path("inbox/", work_lists.inbox, name="inbox"),
    path("unit/", work_lists.unit, name="unit"),
    path("patrol/", work_patrol.patrol, name="patrol"),
    path("concerns/<slug:tracking>/", work_case.concern, name="concern"),
    path("concerns/<slug:tracking>/act/<slug:action>/", work_case.act, name="act"),
    path("concerns/<slug:tracking>/comment/", work_case.comment, name="comment"),
]

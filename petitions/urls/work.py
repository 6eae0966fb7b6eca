from django.urls import path

from petitions.views import (
    work,
    work_activity,
    work_case,
    work_county,
    work_desk,
    work_household,
    work_lists,
    work_patrol,
    work_privacy,
    work_suggestions,
)

app_name = "desk"

urlpatterns = [
    path("", work.home, name="home"),
    path("concerns/", work_lists.concerns, name="concerns"),
    # Before concerns/<tracking>/: "forward" is no tracking code (it holds an "o", which codes never do).
    path("concerns/forward/", work_desk.forward, name="forward"),
    path("concerns/export.xlsx", work_desk.export, name="export"),
    path("held/", work_lists.held, name="held"),
    path("inbox/", work_lists.inbox, name="inbox"),
    path("unit/", work_lists.unit, name="unit"),
    path("patrol/", work_patrol.patrol, name="patrol"),
    path("households/", work_household.households, name="households"),
    path("households/<int:pk>/contact/", work_household.contact_new, name="household_contact_new"),
    path("households/contacts/<int:pk>/", work_household.contact, name="household_contact"),
    path("households/contacts/<int:pk>/concern/", work_household.contact_raise, name="household_contact_raise"),
    path("county/", work_county.county, name="county"),
    path("opinions/<uuid:key>/concern/", work_activity.opinion_concern, name="opinion_concern"),
    path("suggestions/", work_suggestions.suggestions, name="suggestions"),
    path("suggestions/new/", work_suggestions.suggestion_new, name="suggestion_new"),
    path("suggestions/<int:pk>/", work_suggestions.suggestion, name="suggestion"),
    path("suggestions/<int:pk>/act/<slug:action>/", work_suggestions.suggestion_act, name="suggestion_act"),
    path("suggestions/<int:pk>/cosign/", work_suggestions.suggestion_cosign, name="suggestion_cosign"),
    path("suggestions/<int:pk>/view/", work_suggestions.suggestion_co_view, name="suggestion_co_view"),
    path("concerns/<slug:tracking>/", work_case.concern, name="concern"),
    path("concerns/<slug:tracking>/act/<slug:action>/", work_case.act, name="act"),
    path("concerns/<slug:tracking>/comment/", work_case.comment, name="comment"),
    path("concerns/<slug:tracking>/reveal/", work_privacy.reveal_concern_mobile, name="reveal_mobile"),
    path("concerns/<slug:tracking>/correct/", work_privacy.correct_concern, name="correct"),
    path("concerns/<slug:tracking>/constituent/", work_privacy.correct_constituent, name="correct_constituent"),
    path("concerns/<slug:tracking>/erase/", work_privacy.erase_constituent, name="erase_constituent"),
]

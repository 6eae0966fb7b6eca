from django.urls import path

from deputies.views import activities
from liaison.canonical import lower_case_codes

app_name = "activities"

urlpatterns = [
    path("", activities.activity_list, name="list"),
    path("photos/<uuid:key>.jpg", activities.photo, name="photo"),
    path("<slug:code>/", lower_case_codes(activities.activity_page), name="activity"),
]

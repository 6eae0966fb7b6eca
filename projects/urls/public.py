from django.urls import path

from liaison.canonical import lower_case_codes
from projects import progress_views, views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<int:pk>/", progress_views.project_public, name="detail"),
    path("photos/<uuid:key>.jpg", progress_views.photo, name="photo"),
    path("votes/<slug:code>/", lower_case_codes(views.result), name="result"),
]

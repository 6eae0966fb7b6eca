from django.urls import path

from liaison.canonical import lower_case_codes
from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("votes/<slug:code>/", lower_case_codes(views.result), name="result"),
]

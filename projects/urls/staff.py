from django.urls import path

from projects import views

app_name = "projects_staff"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/new/", views.candidate_new, name="candidate_new"),
    path("<int:pk>/", views.project, name="project"),
    path("votes/new/", views.session_new, name="session_new"),
    path("votes/<slug:code>/", views.session, name="session"),
    path("votes/<slug:code>/paper/", views.paper_ballot, name="paper_ballot"),
    path("votes/<slug:code>/paper-voters/", views.paper_voters, name="paper_voters"),
    path("votes/<slug:code>/<slug:action>/", views.session_move, name="move"),
]

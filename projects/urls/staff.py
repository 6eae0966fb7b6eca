from django.urls import path

from projects import progress_views, views

app_name = "projects_staff"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/new/", views.candidate_new, name="candidate_new"),
    # A chosen project carried out (projects.progress_views)
    path("progress/", progress_views.project_list, name="progress"),
    path("<int:pk>/", progress_views.project, name="project"),
    path("<int:pk>/milestones/", progress_views.milestone_new, name="milestone_new"),
    path("milestones/<int:pk>/reach/", progress_views.milestone_reach, name="milestone_reach"),
    path("<int:pk>/comment/", progress_views.comment, name="comment"),
    path("comments/<int:pk>/answer/", progress_views.answer, name="answer"),
    path("<int:pk>/rate/", progress_views.rate, name="rate"),
    path("<int:pk>/ratings/publish/", progress_views.ratings_publish, name="ratings_publish"),
    path("votes/new/", views.session_new, name="session_new"),
    path("votes/<slug:code>/", views.session, name="session"),
    path("votes/<slug:code>/paper/", views.paper_ballot, name="paper_ballot"),
    path("votes/<slug:code>/paper-voters/", views.paper_voters, name="paper_voters"),
    path("votes/<slug:code>/<slug:action>/", views.session_move, name="move"),
]

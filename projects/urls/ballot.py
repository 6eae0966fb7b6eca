from django.urls import path

from projects import views

app_name = "projects_ballot"

# The session's QR code: a deputy of the township, logged in, votes here from their phone.
urlpatterns = [path("<slug:code>/ballot/", views.ballot, name="ballot")]

from django.urls import path

from deputies.views import duty

app_name = "duty_feed"

# The calendar feed: public (a calendar app fetches it without logging in), the secret token is the key.
urlpatterns = [
    path("<str:token>.ics", duty.feed, name="ics"),
]

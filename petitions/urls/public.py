"""The constituent's URLs. /d/<code>/concern/ and /t/<tracking>/ are printed on posters and in SMS (DESIGN §5)."""

from django.urls import path

from petitions.views import public

app_name = "petitions"

urlpatterns = [
    path("d/<slug:code>/concern/", public.file_to_deputy, name="file_to_deputy"),
    path("s/<slug:code>/concern/", public.file_to_site, name="file_to_site"),
    path("t/", public.lookup, name="lookup"),
    path("t/<slug:tracking>/", public.track, name="track"),
    path("t/<slug:tracking>/receipt/", public.receipt, name="receipt"),
    path("t/<slug:tracking>/verify/", public.verify, name="verify"),
    path("t/<slug:tracking>/rate/", public.rate, name="rate"),
    path("photos/<uuid:key>.jpg", public.photo, name="photo"),
]

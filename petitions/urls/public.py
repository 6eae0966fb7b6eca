"""The constituent's URLs. /d/<code>/concern/ and /t/<tracking>/ are printed on posters and in SMS (docs/public-urls.md)."""

from django.urls import path

from liaison.canonical import lower_case_codes
from petitions.views import public, public_suggestions

app_name = "petitions"

urlpatterns = [
    path("d/<slug:code>/concern/", lower_case_codes(public.file_to_deputy), name="file_to_deputy"),
    path("s/<slug:code>/concern/", lower_case_codes(public.file_to_site), name="file_to_site"),
    path("t/", public.lookup, name="lookup"),
    path("t/<slug:tracking>/", lower_case_codes(public.track), name="track"),
    path("t/<slug:tracking>/receipt/", lower_case_codes(public.receipt), name="receipt"),
    path("t/<slug:tracking>/verify/", lower_case_codes(public.verify), name="verify"),
    path("t/<slug:tracking>/rate/", lower_case_codes(public.rate), name="rate"),
    path("photos/<uuid:key>.jpg", public.photo, name="photo"),
    # Deputies' suggestions adopted, with their answers (docs/suggestions.md): no personal data.
    path("suggestions/", public_suggestions.suggestions, name="suggestions"),
    path("suggestions/<slug:code>/", lower_case_codes(public_suggestions.suggestion), name="suggestion"),
]

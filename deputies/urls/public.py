from django.urls import path

from deputies.views import public
from liaison.canonical import lower_case_codes

app_name = "deputies"

urlpatterns = [
    path("", public.directory, name="directory"),
    path("<slug:code>/", lower_case_codes(public.profile), name="profile"),
    path("<slug:code>/qr.png", lower_case_codes(public.deputy_qr), {"fmt": "png"}, name="qr_png"),
    path("<slug:code>/qr.svg", lower_case_codes(public.deputy_qr), {"fmt": "svg"}, name="qr_svg"),
]

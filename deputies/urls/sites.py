from django.urls import path

from deputies.views import public
from liaison.canonical import lower_case_codes

app_name = "sites"

urlpatterns = [
    path("<slug:code>/", lower_case_codes(public.site_page), name="site"),
    path("<slug:code>/qr.png", lower_case_codes(public.site_qr), {"fmt": "png"}, name="qr_png"),
    path("<slug:code>/qr.svg", lower_case_codes(public.site_qr), {"fmt": "svg"}, name="qr_svg"),
]

from django.urls import path

from deputies.views import public

app_name = "deputies"

urlpatterns = [
    path("", public.directory, name="directory"),
    path("<slug:code>/", public.profile, name="profile"),
    path("<slug:code>/qr.png", public.deputy_qr, {"fmt": "png"}, name="qr_png"),
    path("<slug:code>/qr.svg", public.deputy_qr, {"fmt": "svg"}, name="qr_svg"),
]

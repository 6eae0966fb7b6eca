from django.urls import path

from deputies.views import public

app_name = "sites"

urlpatterns = [
    path("<slug:code>/", public.site_page, name="site"),
    path("<slug:code>/qr.png", public.site_qr, {"fmt": "png"}, name="qr_png"),
    path("<slug:code>/qr.svg", public.site_qr, {"fmt": "svg"}, name="qr_svg"),
]

from django.urls import path

from deputies import views

app_name = "sites"

urlpatterns = [
    path("<slug:code>/", views.site_page, name="site"),
    path("<slug:code>/qr.png", views.site_qr, {"fmt": "png"}, name="qr_png"),
    path("<slug:code>/qr.svg", views.site_qr, {"fmt": "svg"}, name="qr_svg"),
]

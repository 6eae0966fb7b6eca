from django.urls import path

from deputies import views

app_name = "deputies"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:code>/", views.profile, name="profile"),
    path("<slug:code>/qr.png", views.deputy_qr, {"fmt": "png"}, name="qr_png"),
    path("<slug:code>/qr.svg", views.deputy_qr, {"fmt": "svg"}, name="qr_svg"),
]

from django.urls import path  # noqa: F401

app_name = "receptions"

urlpatterns: list = []

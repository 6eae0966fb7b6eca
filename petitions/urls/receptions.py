from django.urls import path

from petitions.views import receptions as views
from petitions.views import work_privacy

app_name = "receptions"

urlpatterns = [
    path("", views.register, name="list"),
    path("new/", views.new, name="new"),
    path("export.xlsx", views.export, name="export"),
    path("print/", views.print_register, name="print"),
    path("phone/", views.phone, name="phone"),
    path("reveal/", work_privacy.reveal_reception_mobile, name="reveal_mobile"),
]

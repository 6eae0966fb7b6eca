from django.urls import path

from dashboard import study_views as views
from liaison.canonical import lower_case_codes

app_name = "study"

# Public (liaison.urls.PUBLIC_NAMESPACES): the host's township, or the township of the material a code names.
urlpatterns = [
    path("", views.material_list, name="list"),
    path("<slug:code>/", lower_case_codes(views.material_page), name="material"),
    path("<slug:code>/file.pdf", lower_case_codes(views.pdf), name="pdf"),
]

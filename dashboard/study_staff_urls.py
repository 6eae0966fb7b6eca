from django.urls import path

from dashboard import study_views as views

app_name = "study_staff"

urlpatterns = [
    path("", views.office_list, name="list"),
    # Before <code>/: public codes are 7 characters, never "new" (3).
    path("new/", views.material_new, name="new"),
    path("<slug:code>/", views.office_material, name="material"),
    path("<slug:code>/edit/", views.material_edit, name="edit"),
    path("<slug:code>/publish/", views.publish, name="publish"),
    path("<slug:code>/unpublish/", views.unpublish, name="unpublish"),
]

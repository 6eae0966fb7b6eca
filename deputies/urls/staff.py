from django.urls import path

from deputies import staff_views

app_name = "deputies_staff"

urlpatterns = [
    path("window/", staff_views.window, name="window"),
    path("window.pdf", staff_views.window_pdf, name="window_pdf"),
    path("import/", staff_views.import_deputies, name="import"),
    path("import/template.<str:fmt>", staff_views.import_template, name="import_template"),
]

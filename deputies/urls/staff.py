from django.urls import path

from deputies.views import households, staff

app_name = "deputies_staff"

urlpatterns = [
    path("window/", staff.window, name="window"),
    path("window.pdf", staff.window_pdf, name="window_pdf"),
    path("import/", staff.import_deputies, name="import"),
    path("import/template.<str:fmt>", staff.import_template, name="import_template"),
    path("households/", households.households, name="households"),
    path("households/not-contacted/", households.not_contacting, name="households_not_contacted"),
]

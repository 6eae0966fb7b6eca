from django.urls import path

from deputies.views import households, record, staff

app_name = "deputies_staff"

urlpatterns = [
    path("window/", staff.window, name="window"),
    path("window.pdf", staff.window_pdf, name="window_pdf"),
    path("import/", staff.import_deputies, name="import"),
    path("import/template.<str:fmt>", staff.import_template, name="import_template"),
    path("households/", households.households, name="households"),
    path("households/not-contacted/", households.not_contacting, name="households_not_contacted"),
    # The duty record (docs/duty-record.md): staff's timeline, and the annual work report.
    path("my-report/", record.my_report, name="my_report"),
    path("<slug:code>/record/", record.record, name="record"),
    path("<slug:code>/report/", record.report, name="report"),
    path("<slug:code>/report.pdf", record.report_pdf, name="report_pdf"),
]

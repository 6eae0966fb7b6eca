"""The cockpit as an .xlsx workbook: what the page shows for the same period and site, a sheet per table.
Figures only: no personal data (the overdue sheet names cases by tracking code, as the desk does)."""

from typing import IO

from django.utils.translation import gettext as _

from liaison.spreadsheets import XLSX_CONTENT_TYPE, Column, Sheet, write_xlsx_sheets

__all__ = ["XLSX_CONTENT_TYPE", "cockpit_xlsx"]

_ROWS = 1000  # every table is far shorter; a cap all the same


def _period_columns(data: dict) -> list[Column]:
    names = {"current": _("This period"), "previous": _("Previous period"), "last_year": _("Same period last year")}
    columns = []
    for index, (key, period) in enumerate(data["periods"].items()):
        header = f"{names[key]} {period.start:%Y-%m-%d}–{period.end:%Y-%m-%d}"
        columns.append(Column(header, 26, lambda row, i=index: row["cells"][i]["value"]))
    return columns


def cockpit_xlsx(data: dict) -> tuple[IO[bytes], str]:
    period = data["periods"]["current"]
    figure = [Column(_("Figure"), 36, lambda row: row["label"])]
    sheets = [
        Sheet(_("Figures"), [Column(_("Section"), 20, lambda row: row["section"]), *figure, *_period_columns(data)],
              [{**row, "section": section["title"]} for section in data["sections"] for row in section["rows"]]),
        Sheet(_("Channels"), [*figure, *_period_columns(data)], data["channels"]),
        Sheet(_("Activities"), [*figure, *_period_columns(data)], data["activities"]),
        Sheet(_("Trend by month"), [
            Column(_("Month"), 10, lambda m: m["month"]), Column(_("Received"), 10, lambda m: m["received"]),
            Column(_("Resolved (any outcome)"), 14, lambda m: m["resolved"]),
            Column(_("Fixed"), 10, lambda m: m["fixed"]),
        ], data["trend"]),
        *[Sheet(table["title"], [
            Column(table["title"], 24, lambda r: r["name"]), Column(_("Received"), 10, lambda r: r["total"]),
            Column(_("Being handled"), 10, lambda r: r["open"]), Column(_("Overdue"), 10, lambda r: r["overdue"]),
            Column(_("Resolved (any outcome)"), 14, lambda r: r["resolved"]),
            Column(_("Fixed"), 10, lambda r: r["fixed"]),
            Column(_("Satisfied or basically satisfied"), 16, lambda r: r["satisfaction_rate"]),
        ], table["rows"]) for table in data["breakdowns"]],
        Sheet(_("Answers by category"), [
            Column(_("Answer category"), 24, lambda r: r["label"]),
            *[Column(c.header, c.width, lambda r, i=i: r["cells"][i]) for i, c in enumerate(_period_columns(data))],
        ], data["answer_categories"]),
        Sheet(_("Overdue now"), [
            Column(_("Tracking code"), 14, lambda c: c["tracking"]), Column(_("Category"), 14, lambda c: c["category"]),
            Column(_("Village"), 14, lambda c: c["village"]), Column(_("Handling unit"), 20, lambda c: c["unit"]),
            Column(_("Deadline"), 12, lambda c: c["deadline"]), Column(_("Days overdue"), 10, lambda c: c["days"]),
        ], data["overdue"]),
        Sheet(_("Livelihood projects"), [
            Column(_("Project"), 40, lambda p: p["title"]), Column(_("Responsible unit"), 20, lambda p: p["unit"]),
            Column(_("Progress %"), 10, lambda p: p["progress"]),
        ], data["projects"]),
    ]
    if data["townships"]:
        sheets.append(Sheet(_("Townships"), [
            Column(_("Township"), 16, lambda t: t["name"]), Column(_("Received"), 10, lambda t: t["total"]),
            Column(_("Being handled"), 10, lambda t: t["open"]), Column(_("Overdue"), 10, lambda t: t["overdue"]),
            Column(_("Fixed"), 10, lambda t: t["fixed"]), Column(_("Explained"), 10, lambda t: t["explained"]),
            Column(_("On-time rate"), 10, lambda t: t["on_time_rate"]),
            Column(_("Satisfied or basically satisfied"), 16, lambda t: t["satisfaction_rate"]),
        ], data["townships"]))
    file, _is_cut = write_xlsx_sheets(title=_("Cockpit"), sheets=sheets, limit=_ROWS)
    return file, f"cockpit_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"

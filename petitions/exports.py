"""Files the desk downloads: the reception register as an .xlsx workbook.

Builds bytes from rows a selector already loaded (petitions.receptions.reception_search);
no queries of its own beyond what those rows prefetched, no request, no response.
"""

import datetime
import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from petitions.models import Reception


def register_span(
    receptions: Sequence[Reception], *, date_from: datetime.date | None, date_to: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The range asked for, or else the one the rows span: what the printed form and the file show."""
    dates = [reception.received_on for reception in receptions]
    start = date_from or (min(dates) if dates else None)
    end = date_to or (max(dates) if dates else None)
    return start, end


def reception_register_filename(*, date_from: datetime.date | None, date_to: datetime.date | None) -> str:
    span = f"_{date_from:%Y%m%d}-{date_to:%Y%m%d}" if date_from and date_to else ""
    return f"reception-register{span}.xlsx"


def _columns() -> list[tuple[str, str, int]]:
    """(row key, header, width in characters); Chinese takes two character widths."""
    return [
        ("received_on", _("Date"), 12),
        ("site", _("Site"), 20),
        ("deputies", _("Deputies on duty"), 20),
        ("visitor", _("Visitor"), 10),
        ("mobile", _("Mobile"), 14),
        ("village", _("Village"), 12),
        ("visitor_count", _("Number of visitors"), 10),
        ("matters", _("Matters raised"), 50),
        ("answer", _("Answer / handling"), 50),
        ("satisfaction", _("Satisfaction"), 12),
        ("codes", _("Concern codes"), 16),
    ]


def _row(reception: Reception) -> dict:
    return {
        "received_on": reception.received_on,
        "site": reception.site.name,
        "deputies": "、".join(deputy.name for deputy in reception.deputies.all()),
        "visitor": reception.constituent.name,
        "mobile": reception.constituent.mobile,
        "village": reception.village.name if reception.village else "",
        "visitor_count": reception.visitor_count,
        "matters": reception.matters,
        "answer": reception.answer,
        "satisfaction": reception.get_satisfaction_display(),
        "codes": ", ".join(concern.tracking for concern in reception.concerns.all()),
    }


def reception_register_xlsx(
    receptions: Iterable[Reception], *, date_from: datetime.date | None, date_to: datetime.date | None
) -> bytes:
    """The register as a workbook: one header row, then one row per reception in the order given.

    Headers follow the active language. `date_from`/`date_to` (the span the rows cover, see
    register_span) go into the document's title, where file browsers and printouts show it.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    columns = _columns()
    workbook = Workbook()
    title = _("Reception register")
    if date_from and date_to:
        span = _("From %(start)s to %(end)s") % {"start": f"{date_from:%Y-%m-%d}", "end": f"{date_to:%Y-%m-%d}"}
        title = f"{title} {span}"
    workbook.properties.title = title
    sheet = workbook.active
    sheet.title = _("Reception register")[:31]
    sheet.append([header for _key, header, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for reception in receptions:
        row = _row(reception)
        sheet.append([row[key] for key, _header, _width in columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, (key, _header, width) in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = wrap
            if key == "received_on":
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

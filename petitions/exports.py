"""Files the desk downloads: the concern list and the reception register as .xlsx workbooks.

Rows go one at a time into openpyxl's write-only workbook, which keeps them in a temporary
file, never all in memory; the workbook is then saved to another temporary file that the
response streams. At most `limit` rows: a file cut short says so in its last row. Builds
files from rows a selector loads (petitions.selectors.concern_list,
petitions.receptions.reception_search); no request, no response.
"""

import datetime
import functools
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from petitions.models import Reception

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet may read as the start of a formula (=, +, -, @), and the tab and line
# breaks that some programs drop before reading one (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Rows a database cursor hands over at a time (and the batch in which the register's deputies
# and concern codes are fetched).
_CHUNK = 2000


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in characters; a Chinese character takes two
    value: Callable[[Any], Any]
    number_format: str = ""  # dates get "yyyy-mm-dd" without one
    wrap: bool = False


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    # Spreadsheets know no time zones: write the station's wall-clock time.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


@functools.cache
def _styles():
    # One instance each: openpyxl indexes every style object a cell is given.
    from openpyxl.styles import Alignment, Font

    return Alignment(wrap_text=True, vertical="top"), Font(bold=True)


def spreadsheet_cell(sheet, value, *, number_format: str = "", wrap: bool = False, bold: bool = False):
    """One cell of a write-only sheet, for sheet.append(). Text is always text, never a formula.

    openpyxl writes a string that starts with "=" as a formula (and "#N/A" as an error);
    such a string, and any other starting with one of FORMULA_STARTS, becomes a string
    cell, unchanged, marked "quote prefix" so that Excel keeps it text even when someone
    edits the cell. Line breaks become LF; characters a workbook cannot hold (other control
    characters) are dropped. A plain value needing nothing of this is returned as it is:
    an object per cell costs a spreadsheet of 50,000 rows several seconds.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    is_risky = False
    if isinstance(value, str):
        # Forms send line breaks as CR LF; a cell breaks lines with LF (and XML would turn a lone CR into one).
        value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        is_risky = value.startswith(FORMULA_STARTS) or value in ERROR_CODES
    if not (is_risky or number_format or wrap or bold):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if is_risky:
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    wrap_style, bold_style = _styles()
    if wrap:
        cell.alignment = wrap_style
    if bold:
        cell.font = bold_style
    return cell


def write_xlsx(
    *, title: str, sheet_title: str, columns: Sequence[Column], records: Iterable, limit: int
) -> tuple[IO[bytes], bool]:
    """A workbook with a header row and one row per record, at most `limit` of them.

    `records` may hold more than `limit`: the rows stop there and a last row says the file is
    cut. Returns (file, is_cut): an open temporary file at its start, deleted once closed.
    Every cell, headers included, goes through spreadsheet_cell.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([spreadsheet_cell(sheet, column.header, bold=True) for column in columns])
    is_cut = False
    for count, record in enumerate(records):
        if count == limit:
            is_cut = True
            break
        sheet.append([
            spreadsheet_cell(sheet, column.value(record), number_format=column.number_format, wrap=column.wrap)
            for column in columns
        ])
    if is_cut:
        sheet.append([spreadsheet_cell(sheet, cut_notice(limit), bold=True)])
    file = tempfile.TemporaryFile(prefix="liaison-export-", suffix=".xlsx")
    workbook.save(file)
    file.seek(0)
    return file, is_cut


def cut_notice(limit: int) -> str:
    return _(
        "Export limit reached: this file holds only the first %(limit)s rows; more matched. "
        "Export a shorter date range at a time."
    ) % {"limit": f"{limit:,}"}


def _span(date_from: datetime.date, date_to: datetime.date) -> str:
    return _("From %(start)s to %(end)s") % {"start": f"{date_from:%Y-%m-%d}", "end": f"{date_to:%Y-%m-%d}"}


def _filename(stem: str, date_from: datetime.date, date_to: datetime.date) -> str:
    return f"{stem}_{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx"


# The concern list -------------------------------------------------------------------------------

def _concern_columns() -> list[Column]:
    def name(related) -> str:
        return related.name if related else ""

    return [
        Column(_("Tracking code"), 12, lambda c: c.tracking),
        Column(_("Filed at"), 17, lambda c: _local(c.created_at), "yyyy-mm-dd hh:mm"),
        Column(_("Channel"), 14, lambda c: c.get_channel_display()),
        Column(_("Status"), 10, lambda c: c.get_status_display()),
        Column(_("Outcome"), 10, lambda c: c.get_outcome_display()),
        Column(_("Category"), 12, lambda c: c.category.name),
        Column(_("Village"), 12, lambda c: name(c.village)),
        Column(_("Deputy"), 10, lambda c: name(c.deputy)),
        Column(_("Handling unit"), 18, lambda c: name(c.unit)),
        Column(_("Deadline"), 12, lambda c: c.deadline_on),
        Column(_("Last change"), 17, lambda c: _local(c.updated_at), "yyyy-mm-dd hh:mm"),
        Column(_("Constituent"), 10, lambda c: c.constituent.name if c.constituent else ""),
        Column(_("Mobile"), 13, lambda c: c.constituent.mobile if c.constituent else ""),
        Column(_("Content"), 60, lambda c: c.content, wrap=True),
        Column(_("Result"), 40, lambda c: c.result, wrap=True),
    ]


def concern_list_xlsx(
    concerns, *, date_from: datetime.date, date_to: datetime.date, limit: int
) -> tuple[IO[bytes], bool, str]:
    """The desk's concern list as a workbook: (file, is_cut, file name), as write_xlsx.

    `concerns` is the list's queryset, in its order, with constituent loaded as well.
    """
    records = concerns[: limit + 1].iterator(chunk_size=_CHUNK)
    title = f"{_('Concerns')} {_span(date_from, date_to)}"
    file, is_cut = write_xlsx(
        title=title, sheet_title=_("Concerns"), columns=_concern_columns(), records=records, limit=limit
    )
    return file, is_cut, _filename("concerns", date_from, date_to)


# The reception register --------------------------------------------------------------------------

def register_span(
    receptions: Sequence[Reception], *, date_from: datetime.date | None, date_to: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The range asked for, or else the one the rows span: what the printed form shows."""
    dates = [reception.received_on for reception in receptions]
    start = date_from or (min(dates) if dates else None)
    end = date_to or (max(dates) if dates else None)
    return start, end


def _register_columns() -> list[Column]:
    return [
        Column(_("Date"), 12, lambda r: r.received_on),
        Column(_("Site"), 20, lambda r: r.site.name),
        Column(_("Deputies on duty"), 20, lambda r: "、".join(d.name for d in r.deputies.all()), wrap=True),
        Column(_("Visitor"), 10, lambda r: r.constituent.name),
        Column(_("Mobile"), 14, lambda r: r.constituent.mobile),
        Column(_("Village"), 12, lambda r: r.village.name if r.village else ""),
        Column(_("Number of visitors"), 10, lambda r: r.visitor_count),
        Column(_("Matters raised"), 50, lambda r: r.matters, wrap=True),
        Column(_("Answer / handling"), 50, lambda r: r.answer, wrap=True),
        Column(_("Satisfaction"), 12, lambda r: r.get_satisfaction_display()),
        Column(_("Concern codes"), 16, lambda r: ", ".join(c.tracking for c in r.concerns.all()), wrap=True),
    ]


def reception_register_xlsx(
    receptions, *, date_from: datetime.date, date_to: datetime.date, limit: int
) -> tuple[IO[bytes], bool, str]:
    """The register as a workbook: (file, is_cut, file name), as write_xlsx.

    `receptions` is reception_search's queryset, in its order. Headers follow the active
    language; the range goes into the document's title, where file browsers and printouts show it.
    """
    records = receptions[: limit + 1].iterator(chunk_size=_CHUNK)
    title = f"{_('Reception register')} {_span(date_from, date_to)}"
    file, is_cut = write_xlsx(
        title=title, sheet_title=_("Reception register"), columns=_register_columns(), records=records, limit=limit
    )
    return file, is_cut, _filename("reception-register", date_from, date_to)


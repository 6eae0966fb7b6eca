"""Every spreadsheet the station writes goes through here: .xlsx cells through `spreadsheet_cell`
(whole workbooks through `write_xlsx`), .csv cells through `csv_text`.

Text a person typed is written as text, never as a formula: a visitor's name typed as
`=HYPERLINK("http://…","点我")` must not become a live link (or worse) in the register someone opens
in Excel or WPS (OWASP "CSV injection"). Numbers, dates and times keep their types: -3 stays a number.
"""

import functools
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet may read as the start of a formula (=, +, -, @), and the tab and line
# breaks that some programs drop before reading one (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in characters; a Chinese character takes two
    value: Callable[[Any], Any]
    number_format: str = ""  # dates get "yyyy-mm-dd" without one
    wrap: bool = False


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


def csv_text(value: Any) -> Any:
    """One cell of a .csv file: text that starts like a formula gets a leading apostrophe, which
    Excel and WPS read as "this is text" (a CSV has no cell types to say it with)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    records: Iterable


def write_xlsx(
    *, title: str, sheet_title: str, columns: Sequence[Column], records: Iterable, limit: int
) -> tuple[IO[bytes], bool]:
    """A workbook with a header row and one row per record, at most `limit` of them.

    Rows go one at a time into openpyxl's write-only workbook, which keeps them in a temporary
    file, never all in memory; the workbook is then saved to another temporary file that the
    response streams. `records` may hold more than `limit`: the rows stop there and a last row
    says the file is cut. Returns (file, is_cut): an open temporary file at its start, deleted
    once closed. Every cell, headers included, goes through spreadsheet_cell.
    """
    return write_xlsx_sheets(title=title, sheets=[Sheet(sheet_title, columns, records)], limit=limit)


def write_xlsx_sheets(*, title: str, sheets: Sequence[Sheet], limit: int) -> tuple[IO[bytes], bool]:
    """write_xlsx with several sheets, each cut at `limit` rows; is_cut when any was."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    any_cut = False
    for one in sheets:
        sheet = workbook.create_sheet(title=one.title[:31])
        for index, column in enumerate(one.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        sheet.append([spreadsheet_cell(sheet, column.header, bold=True) for column in one.columns])
        is_cut = False
        for count, record in enumerate(one.records):
            if count == limit:
                is_cut = True
                break
            sheet.append([
                spreadsheet_cell(sheet, column.value(record), number_format=column.number_format, wrap=column.wrap)
                for column in one.columns
            ])
        if is_cut:
            sheet.append([spreadsheet_cell(sheet, cut_notice(limit), bold=True)])
        any_cut = any_cut or is_cut
    file = tempfile.TemporaryFile(prefix="liaison-export-", suffix=".xlsx")
    workbook.save(file)
    file.seek(0)
    return file, any_cut


def cut_notice(limit: int) -> str:
    return _(
        "Export limit reached: this file holds only the first %(limit)s rows; more matched. "
        "Export a shorter date range at a time."
    ) % {"limit": f"{limit:,}"}

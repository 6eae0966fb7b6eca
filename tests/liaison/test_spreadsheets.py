"""liaison.spreadsheets: the one writer of every spreadsheet cell; formula-like text stays text."""

import csv
import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from liaison.spreadsheets import Column, csv_text, write_xlsx

RISKY = ["=1+1", "+8613800000000", "-3 度", "@SUM(A1:A2)", "\t=cmd", "\r=cmd", "=HYPERLINK(\"http://x\",\"y\")"]


def formula_cells(data: bytes) -> list:
    """Every cell of an .xlsx file that a spreadsheet program would compute: the cells openpyxl reads
    back as formulas, and any formula element in the sheets' XML (which is what Excel reads)."""
    cells = [cell.coordinate for sheet in load_workbook(io.BytesIO(data)).worksheets
             for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    return cells + [xml for xml in sheets if "<f>" in xml or "<f " in xml]


def _sheet(values: list) -> tuple:
    file, _is_cut = write_xlsx(
        title="t", sheet_title="s", columns=[Column("value", 10, lambda value: value)], records=values, limit=100
    )
    data = file.read()
    return load_workbook(io.BytesIO(data)).active, data


def test_text_starting_like_a_formula_stays_text_unchanged_and_marked_as_text():
    sheet, data = _sheet(RISKY)

    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # Unchanged, but for the carriage return: a cell's line break is LF, as in "村口\r\n路灯" below.
    assert [cell.value for cell in cells] == [value.replace("\r", "\n") for value in RISKY]
    assert [cell.data_type for cell in cells] == ["s"] * len(RISKY)
    assert all(cell.quotePrefix for cell in cells)
    assert formula_cells(data) == []


def test_plain_text_numbers_negative_ones_too_and_dates_keep_their_types():
    sheet, _data = _sheet(["路灯不亮", "#N/A", 3, -3, -2.5, datetime.date(2026, 3, 7), "a-b"])

    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.data_type for cell in cells] == ["s", "s", "n", "n", "n", "d", "s"]
    assert cells[0].value == "路灯不亮" and not cells[0].quotePrefix
    assert cells[1].value == "#N/A"  # written as text, not as an error value
    assert [cells[2].value, cells[3].value, cells[4].value] == [3, -3, -2.5]
    assert cells[5].value.date() == datetime.date(2026, 3, 7)


def test_characters_a_workbook_cannot_hold_are_dropped_not_fatal_and_line_breaks_are_lf():
    sheet, _data = _sheet(["村口\x0b路灯\x00不亮", "村口\r\n路灯"])

    assert sheet["A2"].value == "村口路灯不亮"
    assert sheet["A3"].value == "村口\n路灯"


def test_a_file_cut_at_the_limit_ends_with_the_notice():
    file, is_cut = write_xlsx(title="t", sheet_title="s", columns=[Column("n", 5, lambda n: n)],
                              records=iter(range(10)), limit=4)

    rows = [row[0] for row in load_workbook(file).active.iter_rows(values_only=True)]
    assert is_cut and rows[:5] == ["n", 0, 1, 2, 3] and len(rows) == 6
    assert "4" in rows[-1]


@pytest.mark.parametrize("value", RISKY)
def test_a_csv_cell_starting_like_a_formula_gets_a_leading_apostrophe(value):
    assert csv_text(value) == "'" + value


@pytest.mark.parametrize("value", ["路灯不亮", "a-b", "", -3, 2.5, None])
def test_other_csv_cells_are_written_as_they_are(value):
    assert csv_text(value) == value


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_deputies_import_template_writes_its_cells_through_the_same_writer(client, staff, monkeypatch, fmt):
    # Its headers are the station's own words, but a translation is text someone typed too.
    monkeypatch.setattr("deputies.views.staff.template_rows", lambda: ["姓名", "=HYPERLINK(\"http://x\",\"y\")"])
    client.force_login(staff)

    response = client.get(f"/staff/deputies/import/template.{fmt}")

    if fmt == "xlsx":
        assert formula_cells(response.content) == []
        header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert header == ("姓名", "=HYPERLINK(\"http://x\",\"y\")")
    else:
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert header == ["姓名", "'=HYPERLINK(\"http://x\",\"y\")"]

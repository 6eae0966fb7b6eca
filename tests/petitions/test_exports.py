"""petitions.exports: the one cell writer both .xlsx exports use, and the register's export through it."""

import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from deputies.models import Site
from petitions.exports import Column, write_xlsx
from petitions.receptions import reception_record
from tests.factories import SiteFactory

RISKY = ["=1+1", "+8613800000000", "-3 度", "@SUM(A1:A2)", "\t=cmd", "\r=cmd", "=HYPERLINK(\"http://x\",\"y\")"]


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
    worksheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in worksheet and "<f " not in worksheet


def test_plain_text_numbers_and_dates_keep_their_types():
    sheet, _data = _sheet(["路灯不亮", "#N/A", 3, datetime.date(2026, 3, 7), "a-b"])

    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.data_type for cell in cells] == ["s", "s", "n", "d", "s"]
    assert cells[0].value == "路灯不亮" and not cells[0].quotePrefix
    assert cells[1].value == "#N/A"  # written as text, not as an error value
    assert cells[3].value.date() == datetime.date(2026, 3, 7)


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


@pytest.mark.django_db
def test_the_reception_register_export_writes_formula_like_text_as_text(client, staff):
    station = SiteFactory(kind=Site.Kind.STATION)
    reception_record(
        received_on=datetime.date(2026, 3, 7), site=station, deputies=[], mobile="13800000009", name="=王",
        village=None, visitor_count=1, matters="@SUM(1,2) 村道破损", answer="-已答复", satisfaction="",
        recorded_by=staff,
    )
    client.force_login(staff)

    response = client.get("/desk/receptions/export.xlsx", {"date_from": "2026-03-01", "date_to": "2026-03-31"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {cell.value: cell for cell in sheet[2]}
    for value in ("=王", "@SUM(1,2) 村道破损", "-已答复"):
        assert cells[value].data_type == "s" and cells[value].quotePrefix, value


@pytest.mark.django_db
def test_the_reception_register_export_needs_a_date_range(client, staff):
    from django.contrib.messages import get_messages

    client.force_login(staff)

    response = client.get("/desk/receptions/export.xlsx", {"q": "路灯", "date_to": "2026-03-31"})

    assert response.status_code == 302
    assert response["Location"] == "/desk/receptions/?q=%E8%B7%AF%E7%81%AF&date_to=2026-03-31"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["导出前请先选择起止日期（自、至）。"]


@pytest.mark.django_db
def test_the_reception_register_export_stops_at_the_cap_and_the_page_says_so(client, staff, settings):
    settings.EXPORT_ROW_LIMIT = 1
    station = SiteFactory(kind=Site.Kind.STATION)
    for n in range(2):
        reception_record(
            received_on=datetime.date(2026, 3, 7 + n), site=station, deputies=[], mobile=f"1380000001{n}",
            name=f"来访{n}", village=None, visitor_count=1, matters="咨询", answer="", satisfaction="",
            recorded_by=staff,
        )
    client.force_login(staff)
    span = {"date_from": "2026-03-01", "date_to": "2026-03-31"}

    response = client.get("/desk/receptions/export.xlsx", span)

    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[-1][0].startswith("已达导出上限")
    assert 'id="export-over-limit"' in client.get("/desk/receptions/", span).content.decode()

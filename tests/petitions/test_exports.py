"""petitions.exports: the reception register's .xlsx export (the cell writer: tests/liaison/test_spreadsheets.py)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from deputies.models import Site
from petitions.receptions import reception_record
from tests.factories import SiteFactory
from tests.liaison.test_spreadsheets import formula_cells

HYPERLINK = '=HYPERLINK("http://evil.example","点我")'


@pytest.mark.django_db
def test_the_reception_register_export_writes_formula_like_text_as_text(client, staff):
    station = SiteFactory(kind=Site.Kind.STATION)
    reception_record(
        received_on=datetime.date(2026, 3, 7), site=station, deputies=[], mobile="13800000009", name=HYPERLINK,
        village=None, visitor_count=2, matters="@SUM(1,2) 村道破损", answer="-已答复", satisfaction="",
        recorded_by=staff,
    )
    client.force_login(staff)

    response = client.get("/desk/receptions/export.xlsx", {"date_from": "2026-03-01", "date_to": "2026-03-31"})

    data = b"".join(response.streaming_content)
    assert formula_cells(data) == []
    cells = {cell.value: cell for cell in load_workbook(io.BytesIO(data)).active[2]}
    for value in (HYPERLINK, "@SUM(1,2) 村道破损", "-已答复"):
        assert cells[value].data_type == "s" and cells[value].quotePrefix, value
    assert cells[2].data_type == "n"  # the number of visitors stays a number


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

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from deputies.models import Deputy
from tests.factories import SiteFactory, VillageFactory

HEADER = ["姓名", "性别", "层级", "职务", "手机", "办公电话", "村（社区）", "联络站点"]


def _csv(rows, encoding="utf-8-sig") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("deputies.csv", buffer.getvalue().encode(encoding), content_type="text/csv")


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("deputies.xlsx", buffer.getvalue())


@pytest.fixture
def places(db):
    return {"village": VillageFactory(name="白塔村"), "site": SiteFactory(name="白塔片区代表联络点")}


def _post(client, upload):
    return client.post("/staff/deputies/import/", {"file": upload}, follow=True)


def _errors(response) -> dict[int, str]:
    """The error table as {row number: problems}; row 0 stands for the whole file."""
    html = response.content.decode()
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", html)
    return {int(row) if row.isdigit() else 0: problems for row, problems in rows}


@pytest.mark.django_db
def test_staff_imports_a_csv_and_sees_how_many(client, staff, places):
    client.force_login(staff)
    rows = [HEADER,
            ["王智慧", "女", "乡镇级", "白塔村党支部书记", "13800000001", "0576-87790001", "白塔村", "白塔片区代表联络点"],
            ["吴立新", "男", "市", "企业家协会会长", "13800000002", "", "", ""]]

    response = _post(client, _csv(rows))

    assert "新增 2" in response.content.decode()
    wang = Deputy.objects.get(mobile="13800000001")
    assert (wang.name, wang.level, wang.gender, wang.village, wang.site) == (
        "王智慧", Deputy.Level.TOWNSHIP, "F", places["village"], places["site"])
    assert Deputy.objects.get(mobile="13800000002").level == Deputy.Level.CITY
    assert wang.code  # imported deputies get public codes and QR images like any other


@pytest.mark.django_db
def test_import_with_bad_rows_imports_nothing_and_names_every_bad_row(client, staff, places):
    client.force_login(staff)
    rows = [HEADER,
            ["王智慧", "女", "乡镇级", "", "13800000001", "", "白塔村", ""],
            ["坏手机", "男", "县级", "", "1234", "", "", ""],
            ["", "男", "外星级", "", "13800000003", "", "无此村", ""],
            ["重复", "男", "县级", "", "13800000001", "", "", ""]]

    response = _post(client, _csv(rows))

    assert Deputy.objects.count() == 0
    assert "3 行需要修改" in response.content.decode()
    errors = _errors(response)
    assert set(errors) == {3, 4, 5}
    assert "手机" in errors[3]
    assert "姓名" in errors[4] and "层级" in errors[4] and "没有这个名称的村" in errors[4]
    assert "已在第 2 行出现" in errors[5]


@pytest.mark.django_db
def test_reimporting_the_same_file_updates_instead_of_duplicating(client, staff, places):
    client.force_login(staff)
    rows = [HEADER, ["王智慧", "女", "乡镇级", "村书记", "13800000001", "", "白塔村", ""]]
    _post(client, _xlsx(rows))
    rows[1][3] = "白塔村党支部书记"

    response = _post(client, _xlsx(rows))

    assert "更新 1" in response.content.decode()
    assert Deputy.objects.count() == 1
    assert Deputy.objects.get().post == "白塔村党支部书记"


@pytest.mark.django_db
def test_reimport_keeps_columns_the_file_does_not_have(client, staff, places):
    client.force_login(staff)
    _post(client, _csv([HEADER, ["王智慧", "女", "乡镇级", "村书记", "13800000001", "0576-87790001", "白塔村", ""]]))

    _post(client, _csv([["姓名", "层级", "手机"], ["王智慧", "乡镇级", "13800000001"]]))

    deputy = Deputy.objects.get()
    assert deputy.office_phone == "0576-87790001" and deputy.village == places["village"]


@pytest.mark.django_db
def test_import_reads_gb18030_csv_as_saved_by_chinese_excel(client, staff, places):
    client.force_login(staff)
    rows = [HEADER, ["陈西荣", "男", "乡镇级", "葡萄种植大户", "13800000009", "", "白塔村", ""]]

    _post(client, _csv(rows, encoding="gb18030"))

    assert Deputy.objects.get().name == "陈西荣"


@pytest.mark.django_db
def test_import_refuses_a_file_that_is_not_a_spreadsheet(client, staff):
    client.force_login(staff)

    body = _post(client, SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff")).content.decode()
    assert "上传 .xlsx 或 .csv 文件" in body

    assert _errors(_post(client, SimpleUploadedFile("fake.xlsx", b"not a zip"))) == {0: "这不是 Excel（.xlsx）工作簿。"}
    assert Deputy.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_downloaded_template_imports_once_filled_in(client, staff, places, fmt):
    client.force_login(staff)
    template = client.get(f"/staff/deputies/import/template.{fmt}")
    assert template.status_code == 200
    if fmt == "xlsx":
        header = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows())]
    else:
        header = next(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    assert header[:3] == ["姓名", "性别", "层级"]
    values = {"姓名": "王智慧", "层级": "乡镇级", "手机": "13800000001", "村（社区）": "白塔村"}
    row = [values.get(title, "") for title in header]

    _post(client, _xlsx([header, row]) if fmt == "xlsx" else _csv([header, row]))

    assert Deputy.objects.get().village == places["village"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "handler", "deputy_user"])
def test_only_staff_may_import(client, request, who):
    if who:
        client.force_login(request.getfixturevalue(who))

    response = client.get("/staff/deputies/import/")

    if who:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_row_numbers_match_the_spreadsheet_even_after_blank_rows(client, staff, places):
    client.force_login(staff)
    rows = [HEADER, ["王智慧", "女", "乡镇级", "", "13800000001", "", "", ""], ["", "", "", "", "", "", "", ""],
            ["坏手机", "男", "县级", "", "1234", "", "", ""]]

    assert set(_errors(_post(client, _xlsx(rows)))) == {4}


@pytest.mark.django_db
def test_common_spellings_of_levels_genders_and_mobiles_are_understood(client, staff, places):
    client.force_login(staff)
    rows = [HEADER, ["王智慧", "女性", "乡镇级人大代表", "", "138 0000 0001", "", "", ""],
            ["吴立新", "男", "市级代表", "", "+8613800000002", "", "", ""],
            ["陈西荣", "男", "镇级", "", "138-0000-0003", "", "", ""]]

    _post(client, _csv(rows))

    assert dict(Deputy.objects.values_list("mobile", "level")) == {
        "13800000001": Deputy.Level.TOWNSHIP, "13800000002": Deputy.Level.CITY, "13800000003": Deputy.Level.TOWNSHIP}
    assert Deputy.objects.get(mobile="13800000001").gender == "F"


@pytest.mark.django_db
def test_a_damaged_workbook_is_reported_in_chinese(client, staff):
    client.force_login(staff)

    errors = _errors(_post(client, SimpleUploadedFile("deputies.xlsx", b"PK\x03\x04 not really a zip")))

    assert errors == {0: "这不是 Excel（.xlsx）工作簿。"}


@pytest.mark.django_db
def test_a_file_over_5_mb_is_refused_before_reading(client, staff):
    client.force_login(staff)

    body = _post(client, SimpleUploadedFile("huge.csv", b"x" * (5 * 1024 * 1024 + 1))).content.decode()

    assert "大于 5 MB" in body
    assert Deputy.objects.count() == 0

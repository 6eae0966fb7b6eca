import csv
import io

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

    body = _post(client, _csv(rows)).content.decode()

    assert Deputy.objects.count() == 0
    assert "4 行需要修改" not in body  # three bad rows, not four
    assert "3 行需要修改" in body
    for row_number in (">3<", ">4<", ">5<"):
        assert row_number in body
    assert "手机" in body and "无此村" not in body.split("<table")[0]
    assert "已在第 2 行" in body


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

    body = _post(client, SimpleUploadedFile("fake.xlsx", b"not a zip")).content.decode()
    assert "无法读取" in body
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

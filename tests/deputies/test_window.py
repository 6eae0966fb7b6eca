import io
import subprocess

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from deputies.models import Deputy
from tests.factories import DeputyFactory


@pytest.fixture
def deputies(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return [
            DeputyFactory(name="吴立新", level=Deputy.Level.CITY, office_phone="0576-87790001"),
            DeputyFactory(name="吴仁贵", level=Deputy.Level.COUNTY),
            DeputyFactory(name="王智慧", level=Deputy.Level.TOWNSHIP),
            DeputyFactory(name="已离任", is_active=False),
        ]


def sites_of(deputies):
    return {d.site for d in deputies}


@pytest.mark.django_db
def test_print_page_shows_every_active_deputy_with_qr_grouped_by_level(client, staff, deputies):
    client.force_login(staff)

    body = client.get("/staff/deputies/window/").content.decode()

    assert body.index("市级代表") < body.index("吴立新") < body.index("县级代表") < body.index("吴仁贵")
    assert "已离任" not in body
    assert body.count("/qr.svg") == 3 + len(sites_of(deputies))
    for site in sites_of(deputies):
        assert f"/s/{site.code}/qr.svg" in body
    assert "0576-87790001" in body


@pytest.mark.django_db
def test_pdf_has_chinese_text_with_the_font_embedded(client, official, deputies):
    client.force_login(official)

    response = client.get("/staff/deputies/window.pdf")

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "吴立新" in text and "王智慧" in text and "已离任" not in text
    fonts = [
        font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    ]
    descriptors = [f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts if "/DescendantFonts" in f]
    assert any("/FontFile2" in d or "/FontFile3" in d for d in descriptors), "the CJK font must be embedded"
    assert any("WenQuanYi" in str(d["/FontName"]) for d in descriptors)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["handler", "deputy_user"])
def test_image_window_is_for_staff_and_officials_only(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get("/staff/deputies/window/").status_code == 403
    assert client.get("/staff/deputies/window.pdf").status_code == 403


@pytest.mark.django_db
def test_pdf_qr_codes_scan_when_printed(client, staff, deputies, tmp_path):
    client.force_login(staff)
    (tmp_path / "window.pdf").write_bytes(client.get("/staff/deputies/window.pdf").content)

    # Rasterise the pages as a printer would (150 dpi) and scan them with a real decoder.
    subprocess.run(["pdftoppm", "-r", "150", "-png", "window.pdf", "page"], cwd=tmp_path, check=True)
    scanned = {
        result.text for page in sorted(tmp_path.glob("page*.png")) for result in zxingcpp.read_barcodes(Image.open(page))
    }

    expected = {d.public_url() for d in deputies if d.is_active} | {s.public_url() for s in sites_of(deputies)}
    assert scanned == expected


@pytest.mark.django_db
def test_pdf_runs_the_same_queries_for_few_or_many_deputies(client, staff, deputies, django_assert_num_queries,
                                                            django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(20) as few:
        client.get("/staff/deputies/window.pdf")
    DeputyFactory.create_batch(10, site=deputies[0].site)

    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/staff/deputies/window.pdf")


@pytest.mark.django_db
def test_one_liaison_point_s_window_prints_alone(client, staff, deputies):
    client.force_login(staff)
    wu = deputies[0]

    body = client.get("/staff/deputies/window/", {"site": wu.site.pk}).content.decode()

    assert "吴立新" in body and "吴仁贵" not in body and "王智慧" not in body
    assert body.count("/qr.svg") == 2  # the deputy and the point itself
    assert f"/s/{wu.site.code}/qr.svg" in body
    assert wu.site.name in body
    assert f'href="/staff/deputies/window.pdf?site={wu.site.pk}"' in body


@pytest.mark.django_db
def test_one_level_s_window_prints_alone_without_the_sites(client, official, deputies):
    client.force_login(official)

    body = client.get("/staff/deputies/window/", {"level": Deputy.Level.COUNTY}).content.decode()

    assert "吴仁贵" in body and "吴立新" not in body and "王智慧" not in body
    assert body.count("/qr.svg") == 1


@pytest.mark.django_db
def test_the_window_page_has_a_filter_form_for_site_and_level(client, staff, deputies):
    client.force_login(staff)

    body = client.get("/staff/deputies/window/").content.decode()

    assert 'name="site"' in body and 'name="level"' in body
    assert deputies[0].site.name in body


@pytest.mark.django_db
def test_an_unknown_site_says_so_and_prints_nothing(client, staff, deputies):
    client.force_login(staff)

    response = client.get("/staff/deputies/window/", {"site": "99999"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "/qr.svg" not in body and "吴立新" not in body
    assert 'class="errorlist' in body
    pdf = client.get("/staff/deputies/window.pdf", {"site": "99999"})
    assert pdf.status_code == 302 and pdf["Location"] == "/staff/deputies/window/?site=99999"


@pytest.mark.django_db
def test_pdf_of_one_site_holds_only_its_deputies(client, staff, deputies):
    client.force_login(staff)

    response = client.get("/staff/deputies/window.pdf", {"site": deputies[1].site.pk})

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "吴仁贵" in text and "吴立新" not in text and "王智慧" not in text
    assert f"deputy-window-{deputies[1].site.code}.pdf" in response["Content-Disposition"]

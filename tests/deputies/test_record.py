"""The pages that read the duty record (deputies/record.py): the public deputy page's counts, the staff
timeline, the annual work report and its PDF. They draw whatever sections are registered: a fake part
registered here shows on every page with no template of its own."""

import datetime
import io
import subprocess

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from deputies import record
from deputies.record import Entry, Figure, Section
from petitions import workflow
from petitions.receptions import reception_record
from petitions.services import concern_resolve
from tests.factories import ConcernFactory, DeputyFactory, SiteFactory

TODAY = timezone.localdate()
THIS_YEAR = TODAY.year
pytestmark = pytest.mark.usefixtures("on_the_modules_day")


def _fake_section(deputy, year):
    return Section(key="fake", title="植树护绿", figures=[
        Figure("trees_planted", "种树棵数", 40 + year - THIS_YEAR, of=50),
        Figure("budget_notes", "内部备注数", 7, public=False),
    ])


def _fake_timeline(deputy, year):
    return [Entry(on=datetime.date(year, 3, 12), kind="植树节", text=f"{deputy.name}在东岙村种树")]


@pytest.fixture
def fake_part(monkeypatch):
    """A topic registered for the test only: the registry's lists are swapped for copies."""
    monkeypatch.setattr(record, "_SECTIONS", list(record._SECTIONS))
    monkeypatch.setattr(record, "_TIMELINES", list(record._TIMELINES))
    record.register_section(_fake_section, order=5)
    record.register_timeline(_fake_timeline)


def _figure(body: str, key: str) -> str:
    start = body.index(f'data-figure="{key}">') + len(f'data-figure="{key}">')
    return body[start:body.index("<", start)].strip()


@pytest.fixture
def worked(db, deputy_user, category, staff):
    """This year: a concern answered (fixed) and a reception on duty, for the deputy of deputy_user."""
    deputy = deputy_user.deputy
    concern_resolve(concern=ConcernFactory(deputy=deputy, category=category, name="陈西荣"), result="修好了",
                    outcome="fixed", actor=deputy_user, role=workflow.DEPUTY)
    _reception(deputy, staff, timezone.localdate())
    return deputy


def _reception(deputy, staff, on, n=0):
    reception_record(received_on=on, site=deputy.site or SiteFactory(), deputies=[deputy], mobile="13812345678",
                     name="陈西荣", village=None, visitor_count=2, matters=f"咨询{n}", answer="", satisfaction="",
                     recorded_by=staff)


# --- the public deputy page ----------------------------------------------------------------------

def test_public_page_shows_this_year_s_counts_with_the_note(client, worked):
    body = client.get(f"/d/{worked.code}/").content.decode()

    assert _figure(body, "concerns_received") == "1"
    assert _figure(body, "concerns_fixed") == "1"
    assert _figure(body, "receptions") == "1" and _figure(body, "reception_visitors") == "2"
    assert f"{THIS_YEAR}" in body and "统计自联络站" in body


def test_public_page_shows_counts_only_never_a_ranking(client, worked):
    DeputyFactory(name="另一位代表")

    body = client.get(f"/d/{worked.code}/").content.decode()

    for word in ("名次", "排行", "第1名", "位列", "rank", "Rank", "另一位代表"):
        assert word not in body
    assert body.count("排名") == 1 and "不在代表之间比较或排名" in body  # the note says it is no ranking
    assert "陈西荣" not in body and "13812345678" not in body


def test_public_page_hides_figures_that_are_not_public(client, worked, fake_part):
    body = client.get(f"/d/{worked.code}/").content.decode()

    assert "植树护绿" in body and "种树棵数" in body and _figure(body, "trees_planted") == "40"
    assert "内部备注数" not in body and "budget_notes" not in body
    assert "concerns_duplicate" not in body  # petitions' own staff-only figure


def test_public_page_year_chooser_offers_sensible_years_only(client, worked, fake_part):
    last_year = client.get(f"/d/{worked.code}/", {"year": THIS_YEAR - 1}).content.decode()
    assert _figure(last_year, "trees_planted") == "39" and _figure(last_year, "concerns_received") == "0"
    assert f'?year={THIS_YEAR - 4}#duty-record' in last_year and f"?year={THIS_YEAR - 5}" not in last_year

    for nonsense in ("1900", str(THIS_YEAR + 1), "abc", ""):
        body = client.get(f"/d/{worked.code}/", {"year": nonsense}).content.decode()
        assert _figure(body, "trees_planted") == "40", nonsense


def test_public_page_queries_do_not_grow_with_the_record(client, worked, staff, category, fake_part,
                                                         django_assert_num_queries, django_assert_max_num_queries):
    with django_assert_max_num_queries(11) as one:  # (one of them the page cache's stamps, liaison/public_pages.py)
        client.get(f"/d/{worked.code}/")
    for n in range(6):
        ConcernFactory(deputy=worked, category=category)
        _reception(worked, staff, timezone.localdate(), n + 1)
    cache.clear()  # the test's transaction never commits, so nothing stamps the cached page stale

    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(f"/d/{worked.code}/").content.decode()
    assert _figure(body, "concerns_received") == "7"


def test_staff_see_a_link_to_the_timeline_the_public_does_not(client, worked, staff):
    assert f"/staff/deputies/{worked.code}/record/" not in client.get(f"/d/{worked.code}/").content.decode()
    client.force_login(staff)
    assert f"/staff/deputies/{worked.code}/record/" in client.get(f"/d/{worked.code}/").content.decode()


# --- the staff timeline ----------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["staff", "official"])
def test_office_sees_every_figure_and_the_whole_timeline(client, request, worked, fake_part, who):
    client.force_login(request.getfixturevalue(who))

    body = client.get(f"/staff/deputies/{worked.code}/record/").content.decode()

    assert "内部备注数" in body and _figure(body, "budget_notes") == "7" and "concerns_duplicate" in body
    assert "植树节" in body and f"{worked.name}在东岙村种树" in body
    tracking = worked.concerns.get().tracking
    assert f'href="/desk/concerns/{tracking}/"' in body
    assert "陈西荣" not in body


def test_timeline_page_queries_do_not_grow_with_events(client, staff, worked, category, django_assert_num_queries,
                                                       django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(25) as one:
        client.get(f"/staff/deputies/{worked.code}/record/")
    for n in range(5):
        ConcernFactory(deputy=worked, category=category)
        _reception(worked, staff, timezone.localdate(), n + 1)

    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(f"/staff/deputies/{worked.code}/record/").content.decode()
    assert body.count('class="timeline-entry') == 6 + 6  # concerns received, receptions


@pytest.mark.parametrize("who", ["handler", "deputy_user"])
def test_timeline_is_for_staff_and_officials(client, request, worked, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(f"/staff/deputies/{worked.code}/record/").status_code == 403


# --- the annual work report -------------------------------------------------------------------------

def test_a_deputy_opens_their_own_report_not_another_s(client, deputy_user, worked):
    other = DeputyFactory(name="别的代表")
    client.force_login(deputy_user)

    assert client.get(f"/staff/deputies/{worked.code}/report/").status_code == 200
    assert client.get(f"/staff/deputies/{worked.code}/report.pdf").status_code == 200
    assert client.get(f"/staff/deputies/{other.code}/report/").status_code == 403
    assert client.get(f"/staff/deputies/{other.code}/report.pdf").status_code == 403
    assert client.get("/staff/deputies/my-report/").url == f"/staff/deputies/{worked.code}/report/"


def test_handler_opens_no_report(client, handler, worked):
    client.force_login(handler)

    assert client.get(f"/staff/deputies/{worked.code}/report/").status_code == 403


def test_report_page_has_every_section_and_the_year(client, official, worked, fake_part):
    client.force_login(official)

    body = client.get(f"/staff/deputies/{worked.code}/report/", {"year": THIS_YEAR - 1}).content.decode()

    assert f"{THIS_YEAR - 1}" in body and worked.name in body
    assert _figure(body, "trees_planted") == "39" and _figure(body, "budget_notes") == "7"
    assert "植树节" in body
    assert f'href="/staff/deputies/{worked.code}/report.pdf?year={THIS_YEAR - 1}"' in body


def test_report_pdf_renders_chinese(client, staff, worked, fake_part, tmp_path):
    client.force_login(staff)

    response = client.get(f"/staff/deputies/{worked.code}/report.pdf")

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert worked.name in text and "植树护绿" in text and "收到的诉求" in text and "年度述职报告" in text
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    names = [str(f["/DescendantFonts"][0].get_object()["/FontDescriptor"]["/FontName"])
             for f in fonts if "/DescendantFonts" in f]
    assert any("WenQuanYi" in name for name in names), names
    # Rasterised as a printer would: the title's Chinese must be drawn glyphs, not empty boxes. A box is a
    # thin outline; the drawn title is dense strokes, so its band holds many dark pixels in many columns.
    (tmp_path / "report.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", "report.pdf", "page"], cwd=tmp_path,
                   check=True)
    (page,) = tmp_path.glob("page*.png")
    image = Image.open(page).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 2000, dark


def test_report_pdf_queries_do_not_grow_with_events(client, staff, worked, category, django_assert_num_queries,
                                                    django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(25) as one:
        client.get(f"/staff/deputies/{worked.code}/report.pdf")
    for _n in range(4):
        ConcernFactory(deputy=worked, category=category)

    with django_assert_num_queries(len(one.captured_queries)):
        client.get(f"/staff/deputies/{worked.code}/report.pdf")


# --- the registry's helpers for these pages ------------------------------------------------------

def test_a_part_with_nothing_to_say_and_a_section_with_no_public_figure_are_left_out(client, worked, monkeypatch):
    monkeypatch.setattr(record, "_SECTIONS", list(record._SECTIONS))
    record.register_section(lambda deputy, year: None, order=1)
    internal = Section("internal", "内部专项", [Figure("x", "内部数", 3, public=False)])
    record.register_section(lambda deputy, year: internal, order=2)

    body = client.get(f"/d/{worked.code}/").content.decode()

    assert "内部专项" not in body and _figure(body, "concerns_received") == "1"
    keys = [s.key for s in record.public_sections(record.duty_record(worked, THIS_YEAR))]
    assert "internal" not in keys and "concerns" in keys


@pytest.mark.parametrize(("asked", "year"), [
    (str(THIS_YEAR - 4), THIS_YEAR - 4), (str(THIS_YEAR), THIS_YEAR), (str(THIS_YEAR - 5), THIS_YEAR),
    (str(THIS_YEAR + 1), THIS_YEAR), ("2O25", THIS_YEAR), (None, THIS_YEAR),
])
def test_the_year_asked_for_is_one_offered_or_this_one(asked, year):
    assert record.chosen_year(asked, timezone.localdate()) == year

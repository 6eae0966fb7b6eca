"""Public pages served from the cache (liaison/public_pages.py): served while their township is unchanged,
drawn afresh after any committed change in it, and never one visitor's page for another."""

import gzip
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deputies.activities import activity_record
from deputies.models import Activity, Deputy, Site
from liaison import public_pages
from liaison.counters import hit
from liaison.models import Counter, PagesStamp
from liaison.public_pages import (
    cached_public_page,
    forget_stamps,
    kept_for_township,
    kept_while_unchanged,
    stamp_townships,
    stamps_gathered,
    unseen_tables,
)
from liaison.scoping import county_wide, in_township
from petitions.forms.public import _STARTED_SALT
from petitions.models import Concern
from tests.factories import (
    CategoryFactory,
    ConcernFactory,
    DeputyFactory,
    SiteFactory,
    TownshipFactory,
    form_opened_long_ago,
    the_township,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CACHED_PAGES = ("/d/{deputy}/", "/s/{site}/", "/d/", "/", "/t/{case}/")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # entries of earlier tests' pages, keyed by the same paths


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """A block whose writes commit as a request's would: the test's own transaction never does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def station(commit):
    with commit():
        site = SiteFactory(name="白塔片区代表联络点")
        deputy = DeputyFactory(name="王智慧", site=site)
        # (Another deputy's: a test deletes this one.)
        concern = ConcernFactory(mobile="13812345678", content="私下反映的路灯", is_public=False)
    return {"deputy": deputy, "site": site, "concern": concern,
            "pages": [page.format(deputy=deputy.code, site=site.code, case=concern.tracking)
                      for page in CACHED_PAGES]}


def _activity(deputy, title: str):
    with in_township(the_township()):
        return activity_record(kind=Activity.Kind.INSPECTION, held_on=timezone.localdate(), title=title,
                               deputies=[deputy])


def _served_from_cache(client, path, django_assert_num_queries, **headers) -> str:
    """The page, asserted to be served from the cache: one query, the township's stamp (and the digit check's
    counters on a tracking page)."""
    with django_assert_num_queries(2 if path.startswith("/t/") else 1):
        response = client.get(path, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_is_drawn_once_then_served_from_the_cache(client, station, django_assert_num_queries):
    for path in station["pages"]:
        first = client.get(path)
        assert first.status_code == 200 and not first.cookies
        assert _served_from_cache(client, path, django_assert_num_queries) == first.content.decode()


def test_a_cached_page_sets_no_cookie_and_writes_nothing(client, station):
    path = station["pages"][0]
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert not response.cookies and "Set-Cookie" not in response
    assert [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")] == []
    assert "Cookie" in response["Vary"]


def test_a_phone_taking_gzip_gets_the_page_compressed_once_and_others_get_it_plain(client, station):
    path = station["pages"][0]
    drawn = client.get(path, headers={"Accept-Encoding": "gzip, deflate"})
    served = [client.get(path, headers={"Accept-Encoding": "gzip, deflate"}) for _ in range(2)]
    plain = client.get(path)

    assert drawn["Content-Encoding"] == served[0]["Content-Encoding"] == "gzip"
    assert gzip.decompress(served[0].content) == gzip.decompress(drawn.content)
    # Compressed when stored, not on each request: the drawn page's random padding (BREACH) differs each time.
    assert served[0].content == served[1].content != drawn.content
    assert int(served[0]["Content-Length"]) == len(served[0].content)
    assert "Content-Encoding" not in plain and plain.content == gzip.decompress(drawn.content)
    assert {"Cookie", "Accept-Encoding"} <= {part.strip() for part in served[0]["Vary"].split(",")}


def test_each_change_of_a_deputy_shows_on_the_next_request(client, station, commit, django_assert_num_queries):
    deputy, site = station["deputy"], station["site"]
    profile = f"/d/{deputy.code}/"
    client.get(profile)

    with commit():
        deputy.post = "白塔村党支部书记"
        deputy.save()
    assert "白塔村党支部书记" in client.get(profile).content.decode()

    with commit():  # an update() that no save signal would see
        Deputy.objects.filter(pk=deputy.pk).update(organisation="白塔村股份经济合作社")
    assert "白塔村股份经济合作社" in client.get(profile).content.decode()

    with commit():
        Site.objects.filter(pk=site.pk).update(name="上张片区代表联络点")
    assert "上张片区代表联络点" in client.get(profile).content.decode()

    with commit():
        _activity(deputy, "走访白塔村困难户")
    assert "走访白塔村困难户" in client.get(profile).content.decode()
    _served_from_cache(client, profile, django_assert_num_queries)


def test_a_filing_changes_the_deputys_counts_at_once(client, station, commit):
    deputy = station["deputy"]
    before = client.get(f"/d/{deputy.code}/").content.decode()
    with commit():
        ConcernFactory(deputy=deputy)
    assert client.get(f"/d/{deputy.code}/").content.decode() != before


def test_a_deleted_deputy_leaves_the_directory_at_once(client, station, commit):
    client.get("/d/")
    assert "王智慧" in client.get("/d/").content.decode()
    with commit():
        Deputy.objects.filter(pk=station["deputy"].pk).delete()
    assert "王智慧" not in client.get("/d/").content.decode()


def test_the_row_a_code_names_is_kept_while_its_township_is_unchanged(station, commit,
                                                                     django_assert_num_queries):
    code = station["deputy"].code
    read = lambda: Deputy.objects.filter(code=code, is_active=True).select_related("township").first()  # noqa: E731
    with commit():
        other = TownshipFactory(name="下各镇", code="xiage")
    assert kept_while_unchanged(f"test:{code}", read).code == code
    with django_assert_num_queries(1):  # the township's stamp only
        kept = kept_while_unchanged(f"test:{code}", read)
    assert kept.code == code and kept is kept_while_unchanged(f"test:{code}", read)
    with commit(), in_township(other):  # a change in another township leaves it kept
        DeputyFactory(township=other)
    assert kept_while_unchanged(f"test:{code}", read) is kept

    with commit():
        Deputy.objects.filter(pk=station["deputy"].pk).update(is_active=False)
    assert kept_while_unchanged(f"test:{code}", read) is None

    with commit():
        Deputy.objects.filter(pk=station["deputy"].pk).update(is_active=True, name="王智")
    assert kept_while_unchanged(f"test:{code}", read).name == "王智"



def test_what_is_kept_for_a_township_is_its_own_and_never_read_county_wide(station, commit):
    with commit():
        other = TownshipFactory(name="下各镇", code="xiage")
    reads = []

    def names():
        reads.append(1)
        return sorted(Deputy.objects.values_list("name", flat=True))

    with in_township(the_township()):
        ours = kept_for_township("test-names", names)
        assert kept_for_township("test-names", names) == ours and len(reads) == 1
        with county_wide():  # every township's rows: never kept under this one's key
            kept_for_township("test-names", names)
            kept_for_township("test-names", names)
        assert len(reads) == 3
    with in_township(other):
        assert kept_for_township("test-names", names) == [] != ours

# --- the tracking page: shared by strangers, never the owner's or a locked-out visitor's --------------

def _wrong_tries(concern, address: str, tries: int = 5) -> None:
    for _ in range(tries):
        Client().post(f"/t/{concern.tracking}/verify/", {"last4": "0000"}, REMOTE_ADDR=address)


def test_a_strangers_tracking_page_is_shared_and_its_digit_check_carries_no_token(station,
                                                                                 django_assert_num_queries):
    path = f"/t/{station['concern'].tracking}/"
    drawn = Client(enforce_csrf_checks=True).get(path)
    assert 'id="verify-form"' in drawn.content.decode() and "csrfmiddlewaretoken" not in drawn.content.decode()
    assert not drawn.cookies and "private" not in drawn.get("Cache-Control", "")
    assert "私下反映的路灯" not in _served_from_cache(Client(), path, django_assert_num_queries)

    # A stranger's browser posts the check without a token, and the page it comes back to says it was wrong.
    verify = Client(enforce_csrf_checks=True).post(path + "verify/", {"last4": "0000"}, follow=True)
    assert verify.status_code == 200 and "与该诉求登记的手机号码不符" in verify.content.decode()


def test_a_visitor_locked_out_of_the_digit_check_is_told_so_and_others_still_share_the_page(
        station, django_assert_num_queries):
    concern = station["concern"]
    path = f"/t/{concern.tracking}/"
    Client().get(path)  # stored
    _wrong_tries(concern, "203.0.113.7")  # counters only: the shared page stays current

    locked = Client().get(path, REMOTE_ADDR="203.0.113.7")
    assert 'id="verify-locked"' in locked.content.decode() and "private" in locked["Cache-Control"]
    for address in ("198.51.100.1", "198.51.100.2"):  # the locked page was not stored for them
        page = _served_from_cache(Client(), path, django_assert_num_queries, REMOTE_ADDR=address)
        assert 'id="verify-form"' in page and 'id="verify-locked"' not in page


def test_the_browser_that_filed_a_case_gets_its_own_page_which_is_never_stored(station, rf):
    from petitions.views.public import _remember_filed_here

    concern = station["concern"]
    path = f"/t/{concern.tracking}/"
    Client().get(path)  # a stranger's page stored first
    filed = HttpResponse()
    _remember_filed_here(rf.get(path), filed, concern.tracking)
    owner = Client()
    owner.cookies["filed"] = filed.cookies["filed"].value

    own = owner.get(path)
    assert "私下反映的路灯" in own.content.decode() and "private" in own["Cache-Control"]
    assert "私下反映的路灯" not in Client().get(path).content.decode()


def test_a_step_of_the_case_shows_on_its_tracking_page_at_once(station, commit):
    concern = station["concern"]
    path = f"/t/{concern.tracking}/"
    Client().get(path)
    with commit(), in_township(the_township()):
        Concern.objects.filter(pk=concern.pk).update(status=Concern.Status.REJECTED, outcome=Concern.Outcome.REJECTED,
                                                   result="不属于本镇职权范围")
    assert "不属于本镇职权范围" in Client().get(path).content.decode()


# --- the concern form: drawn once, each visitor's tokens their own -------------------------------------

def _hidden(page: str, name: str) -> str:
    return re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)[1]


def test_the_concern_form_is_drawn_once_and_each_visitor_gets_tokens_of_their_own(station, commit,
                                                                                  django_assert_num_queries):
    with commit():
        category = CategoryFactory(name="道路交通")
    path = f"/d/{station['deputy'].code}/concern/"
    first = Client(enforce_csrf_checks=True)
    drawn = first.get(path).content.decode()
    visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(1):  # the township's stamp
        served = visitor.get(path)
    page = served.content.decode()

    assert "\x00" not in page and "道路交通" in page and "private" in served["Cache-Control"]
    for name in ("csrfmiddlewaretoken", "token", "started"):
        assert _hidden(page, name) != _hidden(drawn, name), name
    assert abs(timezone.now().timestamp() - signing.loads(_hidden(page, "started"), salt=_STARTED_SALT)) < 60
    # The token matches the cookie this visitor was given: their filing goes through.
    filed = visitor.post(path, {"csrfmiddlewaretoken": _hidden(page, "csrfmiddlewaretoken"),
                                "token": _hidden(page, "token"), "started": form_opened_long_ago(),
                                "name": "张三", "mobile": "13812345678", "category": category.pk,
                                "content": "村口的路灯坏了三盏。"})
    assert filed.status_code == 302 and "/receipt/" in filed["Location"]


def test_a_page_whose_fresh_input_is_missing_or_shown_twice_is_never_stored(station, rf: RequestFactory):
    drawn = []

    @cached_public_page(fresh={"token": lambda request: "新的"})
    def view(request):
        drawn.append(1)
        return HttpResponse(request.page)

    for page in ('<p>没有表单</p>', '<input type="hidden" name="token" value="旧的"><p>旧的</p>'):
        for _ in range(2):
            request = rf.get("/")
            request.township, request.page = the_township(), page
            view(request)
    assert len(drawn) == 4


def test_a_rolled_back_change_stamps_nothing(station):
    before = PagesStamp.objects.get(township=the_township()).stamp
    with pytest.raises(RuntimeError), transaction.atomic():
        Deputy.objects.filter(pk=station["deputy"].pk).update(post="不会保存")
        raise RuntimeError
    assert PagesStamp.objects.get(township=the_township()).stamp == before


def test_a_change_in_another_township_keeps_this_townships_pages(client, station, commit,
                                                                 django_assert_num_queries):
    with commit():
        other = TownshipFactory()
    own_stamp = PagesStamp.objects.get(township=the_township()).stamp
    path = station["pages"][0]
    client.get(path)

    with commit(), in_township(other):
        DeputyFactory(township=other, name="别镇代表")
    assert PagesStamp.objects.get(township=the_township()).stamp == own_stamp
    _served_from_cache(client, path, django_assert_num_queries)
    with commit(), in_township(the_township()):
        Deputy.objects.filter(pk=station["deputy"].pk).update(post="本镇的改动")
    assert "本镇的改动" in client.get(path).content.decode()


def _stamps_written(queries) -> int:
    return len([query for query in queries.captured_queries if 'INTO "liaison_pagesstamp"' in query["sql"]])


@pytest.mark.django_db(transaction=True)
def test_changes_committed_while_stamps_are_gathered_stamp_once_when_the_block_ends(
        client, station, django_assert_num_queries):
    """As the worker registers a crowd's filings: the page drawn in between is the one served until the end."""
    path = station["pages"][0]
    before = PagesStamp.objects.get(township=the_township()).stamp
    with CaptureQueriesContext(connection) as stamping:
        with stamps_gathered():
            for post in ("第一次改动", "第二次改动"):
                with in_township(the_township()), transaction.atomic():
                    Deputy.objects.filter(pk=station["deputy"].pk).update(post=post)
                client.get(path)
            assert PagesStamp.objects.get(township=the_township()).stamp == before
            assert "第一次改动" in _served_from_cache(client, path, django_assert_num_queries)
    assert PagesStamp.objects.get(township=the_township()).stamp != before
    assert _stamps_written(stamping) == 1
    assert "第二次改动" in client.get(path).content.decode()


@pytest.mark.django_db(transaction=True)
def test_gathered_stamps_wait_at_most_a_moment(station, monkeypatch):
    monkeypatch.setattr(public_pages, "GATHERED_SECONDS", 0)  # each commit is a moment after the first
    with CaptureQueriesContext(connection) as stamping, stamps_gathered():
        for n, post in enumerate(("第一次改动", "第二次改动"), start=1):
            with in_township(the_township()), transaction.atomic():
                Deputy.objects.filter(pk=station["deputy"].pk).update(post=post)
            assert _stamps_written(stamping) == n
    assert _stamps_written(stamping) == 2  # nothing left for the block's end


@pytest.mark.django_db(transaction=True)
def test_a_stamp_the_database_could_not_take_is_tried_again(station, monkeypatch):
    from django.db import OperationalError

    before = PagesStamp.objects.get(township=the_township()).stamp
    stamp = public_pages.stamp_townships

    def restarting(*args, **kwargs):
        raise OperationalError("the database system is starting up")

    connection.pages_pending = {the_township().pk}
    monkeypatch.setattr(public_pages, "stamp_townships", restarting)
    public_pages.stamp_pending(connection)
    assert connection.pages_pending == {the_township().pk}

    monkeypatch.setattr(public_pages, "stamp_townships", stamp)
    public_pages.stamp_pending(connection)
    assert connection.pages_pending == set()
    assert PagesStamp.objects.get(township=the_township()).stamp != before


def test_writes_no_public_page_reads_stamp_nothing(station, commit):
    before = PagesStamp.objects.get(township=the_township()).stamp
    with commit():
        hit("public-pages-test", 60)  # a rate-limit counter, as every filing takes
    assert PagesStamp.objects.get(township=the_township()).stamp == before


def test_cached_pages_read_no_table_whose_writes_stamp_nothing(client, station, commit):
    """The list of unseen tables (liaison.apps, petitions.apps) must hold no table a cached page shows."""
    with commit():
        ConcernFactory(deputy=station["deputy"])
        _activity(station["deputy"], "视察农村公路")
    forget_stamps()  # every page drawn afresh below
    for path in station["pages"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        read = {table for q in queries for table in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"])}
        # The tracking page's lock on the digit check is the visitor's, asked again on every hit (drawn_for).
        read -= {Counter._meta.db_table} if path.startswith("/t/") else set()
        assert read and not read & (unseen_tables() - {PagesStamp._meta.db_table}), path


def test_visitors_with_a_session_a_query_or_a_message_get_their_own_page(client, station, admin_user):
    path = station["pages"][0]
    client.get(path)

    with CaptureQueriesContext(connection) as queries:
        client.get(path + "?year=2025")
    assert len(queries) > 1
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    assert len(queries) > 1


def test_each_language_has_its_own_page(client, station):
    path = station["pages"][0]
    assert "我要反映" in client.get(path).content.decode()
    client.cookies["django_language"] = "en"
    assert "Raise a concern" in client.get(path).content.decode()
    del client.cookies["django_language"]
    assert "我要反映" in client.get(path).content.decode()


def test_a_migrate_or_a_restore_forgets_every_stamp(client, station, django_assert_num_queries):
    path = station["pages"][0]
    client.get(path)
    forget_stamps()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    assert len(queries) > 2
    with county_wide():
        stamp_townships()
    client.get(path)
    _served_from_cache(client, path, django_assert_num_queries)


def _view_using(step, drawn: list):
    @cached_public_page
    def view(request):
        drawn.append(request.path)
        step(request)
        return HttpResponse("页面")
    return view


def _reads_the_nonce(request):
    from csp.middleware import CSPMiddleware

    CSPMiddleware(lambda r: None).process_request(request)
    str(request.csp_nonce)  # as a template's <script nonce="{{ request.csp_nonce }}"> does


@pytest.mark.parametrize("step, times_drawn", [
    (get_token, 2),  # a form's token is one visitor's
    (_reads_the_nonce, 2),  # so is a script nonce: shared, it would let in any script that learned it
    (lambda request: request.session.__setitem__("filed", ["ABC"]), 2),
    (lambda request: None, 1),  # the control: a plain answer is stored
], ids=["csrf-token", "csp-nonce", "session", "plain"])
def test_an_answer_built_for_one_visitor_is_never_stored(station, step, times_drawn, rf: RequestFactory):
    from django.contrib.sessions.middleware import SessionMiddleware

    drawn = []
    view = _view_using(step, drawn)
    for _ in range(2):
        request = rf.get("/")
        SessionMiddleware(lambda r: None).process_request(request)
        request.township = the_township()
        view(request)
    assert len(drawn) == times_drawn


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": "redis://127.0.0.1:9/0",
                                       "OPTIONS": {"socket_connect_timeout": 0.2}}})
def test_a_cache_that_fails_only_costs_the_drawing(client, station, monkeypatch):
    from liaison import cache as shared_cache
    from liaison import counters

    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    # (Restored after: the counters failed too, and pages are not cached while they are taken to be down.)
    monkeypatch.setattr(counters, "_down_until", 0.0)
    for path in station["pages"]:
        assert client.get(path).status_code == 200
    assert shared_cache._down_until > 0


@pytest.mark.django_db(transaction=True)
def test_an_autocommitted_write_is_stamped_once_its_statement_is_done(client):
    """Outside a transaction each statement commits itself (a plain save()): its stamp waits for the next
    statement or the end of the request, as writing it amid an INSERT … RETURNING would fail on SQLite."""
    with in_township(the_township()):
        deputy = DeputyFactory(name="李自动")
    path = f"/d/{deputy.code}/"
    client.get(path)
    assert "李自动" in client.get(path).content.decode()
    with in_township(the_township()):
        Deputy.objects.filter(pk=deputy.pk).update(post="自动提交的职务")
    assert "自动提交的职务" in client.get(path).content.decode()
    with in_township(the_township()):
        deputy.post = "再次保存的职务"
        deputy.save()
    connection.close()  # (the end of a command: nothing after it on this connection but request_finished)
    assert "再次保存的职务" in client.get(path).content.decode()


def test_a_commands_last_write_is_stamped_when_it_exits(tmp_path):
    """A command or a shell ends with no request or task to finish: its last autocommitted write is stamped as
    the process exits, or a deputy edited from `manage.py shell` would stay stale on the pages for
    PUBLIC_PAGE_SECONDS."""
    database = tmp_path / "station.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("REDIS_URL", None)

    def manage(*args: str) -> None:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr

    def stamps() -> list[tuple]:
        with sqlite3.connect(database) as rows:
            return rows.execute("SELECT township_id, stamp FROM liaison_pagesstamp").fetchall()

    manage("migrate", "--noinput", "-v0")
    before = stamps()
    assert before == []  # forgotten after every app's post_migrate handlers, which write too
    manage("shell", "-c", "from liaison.models import Township\n"
                          "from liaison.scoping import county_wide\n"
                          "with county_wide():\n"
                          "    township = Township.objects.first(); township.name += '镇'; township.save()")
    after = stamps()
    assert len(after) == 1 and after != before

"""The directory in pinyin order (deputies.pinyin, deputy_list_public) with its letter index."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from deputies.models import Deputy
from deputies.pinyin import initial, name_sort_key
from liaison.scoping import default_township
from tests.factories import DeputyFactory


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("单雄信", "shan4 xiong2 xin4"),  # 单 as a surname is Shàn, not dān
        ("曾国藩", "zeng1 guo2 fan1"),  # not céng
        ("仇英", "qiu2 ying1"),  # not chóu
        ("解缙", "xie4 jin4"),
        ("区志坚", "ou1 zhi4 jian1"),
        ("查良镛", "zha1 liang2 yong1"),
        ("单于夫罗", "chan2 yu2 fu1 luo2"),  # the compound surname 单于 is Chányú
        ("尉迟恭", "yu4 chi2 gong1"),
        ("王智慧", "wang2 zhi4 hui4"),
    ],
)
def test_sort_key_reads_the_surname_as_a_surname(name, reading):
    assert name_sort_key(name) == f"{reading} {name}"


def test_only_the_surname_gets_the_surname_reading():
    # 单 inside a given name keeps its ordinary reading.
    assert name_sort_key("王单").startswith("wang2 dan1 ")


def test_names_sort_as_a_chinese_reader_looks_them_up():
    names = ["张丽华", "曾国藩", "单雄信", "陈秀英", "王智慧", "汪洋", "李安", "李欣", "欧阳明月", "吴立新"]

    in_order = sorted(names, key=name_sort_key)

    # chen, li an, li xin, ou yang, shan, wang1 (汪), wang2 (王), wu, zeng, zhang
    assert in_order == [
        "陈秀英", "李安", "李欣", "欧阳明月", "单雄信", "汪洋", "王智慧", "吴立新", "曾国藩", "张丽华",
    ]


def test_initial_is_a_capital_letter_or_hash():
    assert initial(name_sort_key("王智慧")) == "W"
    assert initial(name_sort_key("John Smith")) == "J"
    assert initial(name_sort_key("3号代表")) == "#"


@pytest.mark.django_db
def test_the_save_service_keeps_the_sort_key_with_the_name():
    deputy = DeputyFactory(name="曾国藩")
    assert deputy.name_pinyin.startswith("zeng1")

    deputy.name = "单雄信"
    from deputies.services import public_record_save

    public_record_save(record=deputy)

    assert Deputy.objects.get(pk=deputy.pk).name_pinyin.startswith("shan4")


@pytest.mark.django_db
def test_directory_lists_each_level_in_pinyin_order(client):
    for name in ["张丽华", "曾国藩", "单雄信", "陈秀英"]:
        DeputyFactory(name=name, level=Deputy.Level.TOWNSHIP)
    DeputyFactory(name="朱晓燕", level=Deputy.Level.COUNTY)

    body = client.get("/d/").content.decode()

    positions = [body.index(name) for name in ["朱晓燕", "陈秀英", "单雄信", "曾国藩", "张丽华"]]
    assert positions == sorted(positions)  # the county group first, then the township in pinyin order


@pytest.mark.django_db
def test_letter_index_lists_the_initials_and_filters_by_one(client):
    DeputyFactory(name="王智慧", level=Deputy.Level.TOWNSHIP)
    DeputyFactory(name="吴立新", level=Deputy.Level.CITY)
    DeputyFactory(name="单雄信", level=Deputy.Level.TOWNSHIP)
    DeputyFactory(name="陈秀英", level=Deputy.Level.TOWNSHIP)

    response = client.get("/d/", {"letter": "w"})
    body = response.content.decode()

    assert response.context["initials"] == ["C", "S", "W"]
    assert response.context["letter"] == "W"
    assert "王智慧" in body and "吴立新" in body
    assert "单雄信" not in body and "陈秀英" not in body
    assert 'href="?letter=S"' in body
    assert 'aria-current="page">W<' in body


@pytest.mark.django_db
def test_letter_index_keeps_the_other_filters(client):
    county = DeputyFactory(name="王建国", level=Deputy.Level.COUNTY)
    DeputyFactory(name="王智慧", level=Deputy.Level.TOWNSHIP)
    DeputyFactory(name="李安", level=Deputy.Level.TOWNSHIP)

    response = client.get("/d/", {"level": county.level, "letter": "W"})

    assert response.context["initials"] == ["W"]  # only the county's initials
    assert [d.name for d in response.context["page"].object_list] == ["王建国"]
    assert 'href="?level=4&amp;letter=W"' in response.content.decode()


@pytest.mark.django_db
def test_a_letter_nobody_has_says_so(client):
    DeputyFactory(name="王智慧")

    body = client.get("/d/", {"letter": "X"}).content.decode()

    assert "王智慧" not in body
    assert "没有姓名拼音以 X 开头的代表" in body


@pytest.mark.django_db
def test_a_nonsense_letter_is_ignored(client):
    DeputyFactory(name="王智慧")

    response = client.get("/d/", {"letter": "ü"})

    assert response.status_code == 200
    assert "王智慧" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_migration_fills_the_sort_key_of_existing_deputies():
    executor = MigrationExecutor(connection)
    executor.migrate([("deputies", "0001_initial")])
    old = executor.loader.project_state([("deputies", "0001_initial")]).apps
    Site = old.get_model("deputies", "Site")
    Deputy0001 = old.get_model("deputies", "Deputy")
    site = Site.objects.create(kind="station", name="白塔镇人大代表联络站", code="s1")
    Deputy0001.objects.create(name="曾国藩", level=5, code="d1", site=site)

    # The default township is there, as liaison's migration (not rolled back here) left it on any real
    # database; the test's flush removed it. Made here, committed, not inside a migration's transaction.
    default_township()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Deputy.objects.get(code="d1").name_pinyin == "zeng1 guo2 fan1 曾国藩"


def test_a_web_or_worker_process_does_not_load_pypinyin_until_it_reads_a_name():
    """pypinyin's dictionaries take about 57 MB in each process that imports them (issue 12: worker
    memory); the pages read the stored sort key, so only saving a deputy or a category needs them."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, django; django.setup(); "
            "from django.urls import get_resolver; get_resolver().url_patterns; "
            "from django.core.wsgi import get_wsgi_application; get_wsgi_application(); "
            "from liaison.celery import app; app.loader.import_default_modules(); "
            "print('pypinyin' in sys.modules); "
            "from deputies.pinyin import name_sort_key; name_sort_key('单田芳'); print('pypinyin' in sys.modules)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "liaison.settings", "DEBUG": "true"}
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=Path(__file__).resolve().parents[2],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["False", "True"]  # not at start-up; loaded once a name is read

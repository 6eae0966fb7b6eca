"""A category's code is the open API's service_code: made from the name's pinyin, unique in its township,
kept when the category is renamed, and given to the categories there were before by a migration."""

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor

from liaison.scoping import in_township
from petitions.models import Category, category_code_from_name
from tests.factories import CategoryFactory, TownshipFactory, UnitFactory, the_township


def test_a_code_is_the_pinyin_of_the_name():
    assert category_code_from_name("环境卫生") == "huanjingweisheng"
    assert category_code_from_name("5G 网络（信号）") == "5g-wangluoxinhao"
    assert category_code_from_name("？！") == "c"


@pytest.mark.django_db
def test_a_new_category_gets_a_code_unique_in_its_township():
    first = CategoryFactory(name="公路")
    second = CategoryFactory(name="攻路")  # reads the same
    elsewhere = CategoryFactory(name="公路", township=TownshipFactory())

    assert (first.code, second.code, elsewhere.code) == ("gonglu", "gonglu-2", "gonglu")


@pytest.mark.django_db
def test_a_category_made_inside_a_township_s_scope_gets_its_code():
    with in_township(the_township()):
        category = Category.objects.create(name="道路交通", default_unit=UnitFactory())

    assert category.code == "daolujiaotong"


@pytest.mark.django_db
def test_renaming_keeps_the_code_integrators_rely_on():
    category = CategoryFactory(name="环境卫生")
    category.name = "人居环境"
    category.save()

    category.refresh_from_db()
    assert category.code == "huanjingweisheng"


@pytest.mark.django_db
def test_a_chosen_code_is_kept_and_two_alike_in_a_township_are_refused():
    CategoryFactory(name="环境卫生", code="env")

    with pytest.raises(IntegrityError):
        CategoryFactory(name="卫生", code="env")


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_categories_their_codes():
    executor = MigrationExecutor(connection)
    old = executor.loader.project_state([("petitions", "0006_township")]).apps
    executor.migrate([("petitions", "0006_township")])
    OldCategory = old.get_model("petitions", "Category")
    township_id = the_township().pk
    for position, name in enumerate(["环境卫生", "公路", "攻路"]):
        OldCategory.objects.create(name=name, township_id=township_id, position=position)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    codes = dict(Category._base_manager.values_list("name", "code"))
    assert codes == {"环境卫生": "huanjingweisheng", "公路": "gonglu", "攻路": "gonglu-2"}


@pytest.mark.django_db
def test_a_code_typed_in_capitals_in_the_admin_is_kept_in_lower_case(client, admin_user):
    category = CategoryFactory(name="环境卫生")
    client.force_login(admin_user)

    response = client.post(f"/admin/petitions/category/{category.pk}/change/", {
        "name": "环境卫生", "code": "Env", "default_unit": category.default_unit_id, "deadline_days": 5,
        "position": 0, "is_active": "on"})

    assert response.status_code == 302, response.content
    category.refresh_from_db()
    assert category.code == "env"

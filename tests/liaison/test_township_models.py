"""Every model either belongs to a township (liaison.scoping.TownshipScoped) or is declared county-wide."""

import pytest
from django.apps import apps
from django_scopes import ScopeError

from liaison.scoping import COUNTY_WIDE, TownshipScoped, in_township
from tests.factories import DeputyFactory, TownshipFactory, the_township


def _own_models():
    # Auto-created many-to-many tables are reached only through their two scoped ends.
    return [m for m in apps.get_models() if not m._meta.auto_created]


def test_every_model_has_a_township_or_is_declared_county_wide():
    unscoped = sorted(
        m._meta.label for m in _own_models() if not issubclass(m, TownshipScoped) and m._meta.label not in COUNTY_WIDE
    )
    assert unscoped == [], f"give these a township (TownshipScoped) or declare them county-wide: {unscoped}"


def test_the_county_wide_list_names_only_real_unscoped_models():
    labels = {m._meta.label: m for m in apps.get_models()}
    stale = sorted(label for label in COUNTY_WIDE if label not in labels or issubclass(labels[label], TownshipScoped))
    assert stale == []


@pytest.mark.parametrize("model", [m for m in _own_models() if issubclass(m, TownshipScoped)],
                         ids=lambda m: m._meta.label)
def test_a_scoped_model_refuses_queries_outside_any_township(model):
    # The autouse fixture opened the county-wide scope; run outside it, as a forgotten code path would.
    from django_scopes.state import state

    token = state.set({})
    try:
        with pytest.raises(ScopeError):
            list(model.objects.all())
    finally:
        state.reset(token)


@pytest.mark.django_db
def test_the_manager_filters_to_the_scope_township():
    other = TownshipFactory()
    here = DeputyFactory(name="本镇代表")
    there = DeputyFactory(name="他镇代表", township=other)
    from deputies.models import Deputy

    with in_township(the_township()):
        assert list(Deputy.objects.all()) == [here]
        # A related manager goes through the same manager: the other township's deputy is not reachable.
        assert list(there.site.deputies.all()) == []
    with in_township(other):
        assert list(Deputy.objects.all()) == [there]


@pytest.mark.django_db
def test_a_row_made_inside_a_township_belongs_to_it():
    from deputies.models import Area

    other = TownshipFactory()
    with in_township(other):
        area = Area.objects.create(name="新片区")
    assert area.township == other

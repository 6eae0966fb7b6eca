"""Every route of the URL resolver, and the admin's routes by model: what tests/test_isolation.py and
tests/test_access_table.py walk, each failing on a route it has not placed.

A route is keyed by its name ("desk:concern", "admin:deputies_deputy_change"); one without a name by
what it is ("media", "admin:catch_all", "admin:deputies_deputy_redirect").
"""

import re

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from liaison.scoping import TownshipScoped

# The pages the admin makes for each registered model, by the suffix of their route names.
ADMIN_ACTIONS = ("changelist", "add", "history", "delete", "change", "redirect")


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(route key, path pattern) of every route; a route with no name is keyed by what it is."""
    found = []
    for pattern in resolver.url_patterns:
        path = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
            found += walk(pattern, path, inner)
            continue
        assert isinstance(pattern, URLPattern)
        name = pattern.name or _unnamed(path, pattern)
        found.append((f"{namespace}:{name}" if namespace else name, path))
    return found


def _unnamed(path: str, pattern: URLPattern) -> str:
    if path.startswith("^media/"):
        return "media"
    if pattern.lookup_str.endswith("catch_all_view"):
        return "catch_all"
    model_page = re.match(r"admin/(\w+)/(\w+)/<path:object_id>/$", path)
    if model_page:  # the admin's redirect from an object's bare URL to its change page
        return f"{model_page[1]}_{model_page[2]}_redirect"
    return path


ROUTES = walk(get_resolver())


def sample(parameter: re.Match) -> str:
    """A value the route's converter accepts (for re.sub over a path pattern's <converter:name>)."""
    uuid = "5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
    return {"uuid:": uuid, "int:": "2"}.get(parameter[1], "csv" if parameter[2] == "fmt" else "x2345678")


def admin_routes() -> dict[str, tuple[type, str]]:
    """Each admin route made from the registry: key → (model, action of ADMIN_ACTIONS)."""
    return {f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}": (model, action)
            for model in admin.site._registry for action in ADMIN_ACTIONS}


# --- a row to name in an admin URL --------------------------------------------------------------------

_COUNTY_ROWS = {  # county-wide models whose rows belong to one township all the same
    "liaison.Township": lambda town: town.township,
    "auth.User": lambda town: town.users["staff"],
    "deputies.IssuedCode": lambda town: _issued(town.deputy.code),
    "liaison.ApiClient": lambda town: _api_client(town),
}


def _api_client(town):
    from liaison.apikeys import api_client_create
    from liaison.models import ApiClient

    name = f"{town.marker}接口"
    return ApiClient.objects.filter(name=name).first() or api_client_create(name=name, townships=[town.township])[0]


def _issued(code):
    from deputies.models import IssuedCode

    return IssuedCode.objects.get(code=code)


def township_row_getter(model):
    """A function town → a row of `model` that belongs to that township (tests/isolation.Town), or None
    for the county's own models (the calendar, groups), which no township owns."""
    if issubclass(model, TownshipScoped):
        return lambda town: town.row(model)
    return _COUNTY_ROWS.get(model._meta.label)


def admin_row(model, town):
    """A row of `model` to open in the admin: the township's own, or any row of a county-wide model."""
    getter = township_row_getter(model)
    return getter(town) if getter else model.objects.order_by("pk").first()

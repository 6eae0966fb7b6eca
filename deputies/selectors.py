from itertools import groupby

from django.db.models import Count, Q, QuerySet

from deputies.models import Deputy, Site, Village


def deputy_list_public(
    *, level: int | None = None, site: Site | None = None, village: Village | None = None, query: str = ""
) -> QuerySet[Deputy]:
    deputies = Deputy.objects.filter(is_active=True).select_related("site", "village")
    if level:
        deputies = deputies.filter(level=level)
    if site:
        deputies = deputies.filter(site=site)
    if village:
        deputies = deputies.filter(village=village)
    if query:
        deputies = deputies.filter(Q(name__icontains=query) | Q(post__icontains=query))
    return deputies.order_by("level", "name")


def deputy_get_public(*, code: str) -> Deputy | None:
    return Deputy.objects.filter(code=code, is_active=True).select_related("site", "village__area").first()


def deputy_level_counts() -> dict[int, int]:
    rows = Deputy.objects.filter(is_active=True).values("level").annotate(n=Count("pk")).order_by()
    return {row["level"]: row["n"] for row in rows}


def site_list_public() -> QuerySet[Site]:
    return Site.objects.filter(is_active=True).annotate(
        deputy_count=Count("deputies", filter=Q(deputies__is_active=True))
    )


def site_get_public(*, code: str) -> Site | None:
    return Site.objects.filter(code=code, is_active=True).select_related("area").first()


def deputy_groups_by_level(deputies) -> list[dict]:
    """[{"level": label, "deputies": [...]}, ...] for deputies already ordered by level."""
    return [
        {"level": Deputy.Level(level).label, "deputies": list(members)}
        for level, members in groupby(deputies, key=lambda d: d.level)
    ]

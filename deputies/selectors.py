from itertools import groupby

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, Upper

from deputies.models import Deputy, Site, Village
from deputies.pinyin import initial
from liaison.scoping import county_wide


def _deputies_public(
    *, level: int | None = None, site: Site | None = None, village: Village | None = None, query: str = ""
) -> QuerySet[Deputy]:
    deputies = Deputy.objects.filter(is_active=True)
    if level:
        deputies = deputies.filter(level=level)
    if site:
        deputies = deputies.filter(site=site)
    if village:
        deputies = deputies.filter(village=village)
    if query:
        # A voter looks for "their" deputy by name, by post, or by the village they live in.
        deputies = deputies.filter(Q(name__icontains=query) | Q(post__icontains=query)
                                   | Q(village__name__icontains=query))
    return deputies


def deputy_list_public(
    *, level: int | None = None, site: Site | None = None, village: Village | None = None, query: str = "",
    letter: str = "",
) -> QuerySet[Deputy]:
    """Active deputies by level, then in pinyin order; `letter` (A-Z) keeps names read with that initial."""
    deputies = _deputies_public(level=level, site=site, village=village, query=query)
    if letter:
        # A range on the sort key, not startswith: both databases serve it from the directory index.
        lower = letter.lower()
        deputies = deputies.filter(name_pinyin__gte=lower, name_pinyin__lt=chr(ord(lower) + 1))
    # The township: each card's QR encodes its address (HasPublicCode.public_url).
    return deputies.select_related("township", "site", "village").order_by("level", "name_pinyin")


def deputy_initials(
    *, level: int | None = None, site: Site | None = None, village: Village | None = None, query: str = ""
) -> list[str]:
    """The index letters that lead to someone under these filters, A-Z (one query)."""
    rows = (
        _deputies_public(level=level, site=site, village=village, query=query)
        .annotate(first=Upper(Substr("name_pinyin", 1, 1))).values_list("first", flat=True).distinct().order_by()
    )
    return sorted({initial(first) for first in rows} - {"#"})


# Looked up across the county: printed codes are unique county-wide and resolve on any host. The view
# then enters the row's township (liaison.scoping.found_in_township).
def deputy_get_public(*, code: str) -> Deputy | None:
    with county_wide():
        return Deputy.objects.filter(code=code, is_active=True).select_related(
            "township", "site", "village__area").first()


def deputy_get_to_file(*, code: str) -> Deputy | None:
    """The deputy a concern form is for: the form shows the name and post, and the filing keeps the key. Read
    on every filing, where building the deputy's site and area too cost a quarter of the request's time."""
    with county_wide():
        return Deputy.objects.filter(code=code, is_active=True).select_related("township").only(
            "code", "name", "post", "township").first()


def deputy_level_counts() -> dict[int, int]:
    rows = Deputy.objects.filter(is_active=True).values("level").annotate(n=Count("pk")).order_by()
    return {row["level"]: row["n"] for row in rows}


def site_list_public() -> QuerySet[Site]:
    return Site.objects.filter(is_active=True).select_related("township").annotate(
        deputy_count=Count("deputies", filter=Q(deputies__is_active=True))
    )


def site_get_public(*, code: str) -> Site | None:
    with county_wide():
        return Site.objects.filter(code=code, is_active=True).select_related("township", "area").first()


def deputy_groups_by_level(deputies) -> list[dict]:
    """[{"level": label, "deputies": [...]}, ...] for deputies already ordered by level."""
    return [
        {"level": Deputy.Level(level).label, "deputies": list(members)}
        for level, members in groupby(deputies, key=lambda d: d.level)
    ]

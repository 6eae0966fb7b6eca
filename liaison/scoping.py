"""The one mechanism that keeps townships apart (docs/townships.md).

Every township's model inherits `TownshipScoped`: its default manager (django-scopes) filters by the
township scope active now, and refuses to run any query when none is active, so a code path that
forgot to choose a township fails loudly instead of showing another township's rows. Who activates
the scope:

- a web request: `liaison.middleware.TownshipMiddleware` (the host's township for public pages, the
  user's township in the back office, narrowed by `enter_township` to the township of the row a URL
  names);
- a Celery task or a command: `each_township()`, or `in_township_of(row)` for a task about one row;
- tests and maintenance code that must see everything: `county_wide()`.

Models that are the same for the whole county (the calendar, issued codes, the townships themselves,
accounts) do not inherit it and are listed in COUNTY_WIDE; a test walks every model against that.
"""

from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, get_scope, scope, scopes_disabled

# Models the same for the whole county: "app_label.ModelName". Everything else carries a township.
COUNTY_WIDE = frozenset({
    "liaison.County", "liaison.Township", "liaison.TownshipHost", "liaison.Membership", "liaison.CalendarDay",
    # The open API's clients: the county issues their keys and names the townships each may file into.
    "liaison.ApiClient",
    # Which version of each township's public pages may be served from the cache (liaison.public_pages).
    "liaison.PagesStamp",
    # The rate limits' counters: one guesser or one phone is one, whichever township's page it uses.
    "liaison.Counter",
    # The cockpit's running totals of the whole county (petitions.rollup_models): read only in a scope that
    # covers every township (covers_county()).
    "petitions.CountyConcernDay", "petitions.CountyConcernTen", "petitions.CountyConcernMonth",
    "petitions.CountyConcernQuarter", "petitions.CountyReceptionDay", "petitions.CountyReceptionTen",
    "petitions.CountyReceptionMonth", "petitions.CountyReceptionQuarter",
    "petitions.CountyRollupMark",
    # Public codes are unique across the county (printed QR codes resolve on any host).
    "deputies.IssuedCode",
    # Django's own: accounts and groups (a user's township is their Membership), sessions, permissions.
    "auth.User", "auth.Group", "auth.Permission", "contenttypes.ContentType", "sessions.Session",
    "admin.LogEntry",
    # Logging in: failed logins (django-axes) and two-factor devices (django-otp) belong to accounts.
    "axes.AccessAttempt", "axes.AccessAttemptExpiration", "axes.AccessLog", "axes.AccessFailureLog",
    "otp_totp.TOTPDevice", "otp_static.StaticDevice", "otp_static.StaticToken",
})


def township_manager(manager_class=models.Manager):
    return ScopedManager(_manager_class=manager_class, township="township")


class TownshipScoped(models.Model):
    township = models.ForeignKey(
        "liaison.Township", models.PROTECT, related_name="+", verbose_name=_("township"), editable=False
    )

    objects = township_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        check_same_township(self, *(
            field.get_cached_value(self) for field in self._meta.concrete_fields
            if field.many_to_one and issubclass(field.related_model, TownshipScoped) and field.is_cached(self)
        ))

    def save(self, *args, **kwargs) -> None:
        # A row made inside one township's scope belongs to it: the admin, forms and services need not
        # each remember it. Inside the county-wide scope there is no such township, and saving fails.
        if self.township_id is None:
            self.township = current_township()
        super().save(*args, **kwargs)


def check_same_township(row, *related) -> None:
    """Refuse (ValidationError) to tie `row` to another township's rows. Forms offer the current scope's
    choices, and a county account looking at the whole county is offered every township's units, sites
    and categories: a unit of A must not take a case of B. TownshipScoped.clean checks the relations
    set on the row (those not set since it was loaded were checked when they were); services call it
    for many-to-many ones."""
    for other in related:
        if other is not None and row.township_id is not None and other.township_id != row.township_id:
            raise ValidationError(_("“%(name)s” belongs to another township."), code="other_township",
                                  params={"name": other})


def current_township():
    """The township the current scope is narrowed to, or None (county-wide, or no scope)."""
    from liaison.models import Township

    value = get_scope().get("township")
    return value if isinstance(value, Township) else None


def townships_in_scope() -> list[int]:
    """The ids of the townships the current scope covers: one, a county user's several, or every one."""
    from liaison.models import Township

    current = get_scope()
    value = current.get("township") if current.get("_enabled", True) else None
    if isinstance(value, Township):
        return [value.pk]
    if value is None:
        return list(Township.objects.values_list("pk", flat=True))
    return [getattr(township, "pk", township) for township in value]


def covers_county() -> bool:
    """Whether the current scope covers every township: a county account looking at the whole county, or
    county_wide()."""
    from liaison.models import Township

    if isinstance(get_scope().get("township"), Township):
        return False
    covered = set(townships_in_scope())
    return bool(covered) and covered == set(Township.objects.values_list("pk", flat=True))


def scope_key() -> str:
    """The current scope as text, for cache keys: a township's pk, or the sorted pks of several."""
    value = get_scope().get("township")
    if isinstance(value, list):
        return ",".join(map(str, sorted(value)))
    return str(getattr(value, "pk", value))


def in_township(township):
    """The scope of one township (a context manager)."""
    return scope(township=township)


def in_townships(townships: Iterable):
    """The scope of several townships (a county user's whole county)."""
    return scope(township=[t.pk for t in townships])


def county_wide():
    """Every township at once: for tests, migrations and maintenance, never for a request."""
    return scopes_disabled()


def in_township_of(row):
    """The scope of the township a row belongs to; the way a task about one row starts."""
    return in_township(row.township)


def each_township() -> Iterator:
    """Yields each township with its scope active: the way a periodic task or command goes over the county."""
    from liaison.models import Township

    for township in Township.objects.select_related("county"):
        with in_township(township):
            yield township


def enter_township(request, township) -> None:
    """Narrow the rest of this request to `township` (the township of the deputy, site or case its URL named)."""
    request.township = township
    request.township_scope.enter_context(in_township(township))


def scope_of(value):
    """The scope of a township, or of a list of them ([] or None: of none)."""
    if value is None or isinstance(value, list):
        # Never scope(township=None): django-scopes reads None as "no filter".
        return scope(township=[t.pk for t in value or []])
    return in_township(value)


def enter_scope(request, value) -> None:
    """Enter a township (or a list of them, or [] for none) for the rest of this request."""
    request.township = value if value is not None and not isinstance(value, list) else None
    request.township_scope.enter_context(scope_of(value))


def found_in_township(request, row):
    """A row that a public code named, found across the county (printed codes resolve on any host):
    404 if there is none, else the rest of the request is in its township."""
    from django.http import Http404

    if row is None:
        raise Http404
    enter_township(request, row.township)
    return row


# --- which township a request is for ----------------------------------------------------------

SESSION_KEY = "county_township"  # a county user's chosen township code; absent: the whole county


def default_township():
    """The township answering hosts no township claims. liaison's migration 0005 makes it; a database
    emptied since (manage.py flush) gets it again, as a fresh install would."""
    from django.conf import settings

    from liaison.models import County, Township

    with county_wide():
        found = Township.objects.filter(is_default=True).first() or Township.objects.order_by("pk").first()
        if found is None:
            county, _ = County.objects.get_or_create(code="xianju", defaults={"name": "仙居县"})
            found, _ = Township.objects.get_or_create(code="baita", defaults={
                "county": county, "name": "白塔镇", "is_default": True,
                "station_name": settings.STATION_NAME or "白塔镇人大代表联络站"})
        return found


def township_for_host(host: str):
    """The township whose public pages `host` serves; the default township for any other host. One query."""
    from django.db.models import Q

    from liaison.models import Township

    hostname = (host.rsplit(":", 1)[0] if not host.endswith("]") else host).lower()
    with county_wide():
        # The township claiming the host sorts before the default one (is_default False < True).
        found = (Township.objects.filter(Q(hosts__host=hostname) | Q(is_default=True))
                 .select_related("county").order_by("is_default").first())
    return found or default_township()


def is_county_user(user) -> bool:
    from liaison import roles

    return user.is_authenticated and home_township(user) is None and (
        user.is_superuser or roles.COUNTY_OFFICIAL in roles.user_roles(user))


def home_township(user):
    """The township a back-office account works in (its Membership), None for county accounts."""
    if not hasattr(user, "_home_township"):
        from liaison.models import Membership

        # One query per request, cached on the user like its roles.
        membership = Membership.objects.select_related("township__county").filter(
            user_id=user.pk).first() if user.is_authenticated else None
        user._home_township = membership.township if membership else None
    return user._home_township


def county_townships(user) -> list:
    from liaison.models import Township

    with county_wide():
        # A database emptied since the migration (manage.py flush) gets its default township again.
        return list(Township.objects.select_related("county")) or [default_township()]


def back_office_scope(request):
    """A township, or a list of them for a county user looking at the whole county; [] sees nothing."""
    user = request.user
    if not user.is_authenticated:
        return []
    if (home := home_township(user)) is not None:
        return home
    townships = county_townships(user)
    if len(townships) == 1:  # one station: its accounts need no membership
        return townships[0]
    if is_county_user(user):
        chosen = request.session.get(SESSION_KEY)
        return next((t for t in townships if t.code == chosen), townships)
    return []


def accounts_of(township):
    """The accounts working in `township` (a query on users): its members; on a one-township install
    also the accounts with no membership, as back_office_scope lets them work there."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from liaison.models import Township

    works_here = Q(membership__township=township)
    with county_wide():
        if Township.objects.count() == 1:
            works_here |= Q(membership__isnull=True)
    return get_user_model().objects.filter(works_here)


def one_township_required(view):
    """For pages that make rows (a reception, an import, a bulk forward): a county account looking at
    the whole county is asked to choose a township first, instead of mixing townships in one form."""
    from functools import wraps

    from django.shortcuts import render

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if current_township() is None:
            return render(request, "liaison/choose_township.html", status=409)
        return view(request, *args, **kwargs)

    return wrapped

"""Rate limits of the public pages and the open API, counted in liaison.counters (shared by every web
process): guessing the last four digits of a constituent's mobile on the tracking page, filing through
the public form, and filing through the open API.

Each limit fails its own way when the counters' store does not answer (docs/privacy.md):
- the digit check fails closed (refused for now): 10,000 possibilities must stay counted, and the
  browser that filed the concern never needs the check;
- the public form fails open (filed as usual): the store down is our outage, not a sign of abuse, and
  the checks that need no store (hidden field, fill time, the SMS cap in the outbox) still hold;
- the open API fails open: its clients hold keys the county issued and can be switched off.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from liaison import counters
from liaison.clients import client_address
from petitions import messages

VERIFY_MAX_TRIES = 5  # per tracking code and client, in a window of
VERIFY_WINDOW_SECONDS = 15 * 60
VERIFY_MAX_TRIES_PER_DAY = 10  # per tracking code and client, per calendar day (station time)
VERIFY_MAX_TRIES_PER_CODE_PER_DAY = 30  # per tracking code, all clients together, per calendar day
VERIFY_MAX_TRIES_PER_CLIENT = 20  # per client address, over all tracking codes, in a window of
VERIFY_CLIENT_WINDOW_SECONDS = 60 * 60

# Each verify try is counted before the digits are compared (an atomic increment), and refused
# once a counter is past its limit, so parallel requests cannot slip past a check-then-count.
# A right answer gives its try back: the limits are on wrong tries, and a success resets nothing.
# Every window starts at its first try and is not extended by later ones.
#
# A code's burst and daily limits count per client: a stranger's wrong guesses do not lock the owner
# out on the owner's own connection. The owner's filing browser needs no check at all
# (petitions.views.public). What stops guessing: 20 tries an hour per client, 10 a day per client and
# code, and 30 a day per code from all clients together, which bounds guessing spread over many
# addresses to 0.3 % of the 10,000 possibilities a day.


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    window: int  # seconds from the counter's first event
    reason: str = ""  # for a filing held over it: a key of petitions.messages.HOLD_REASONS
    params: dict = field(default_factory=dict, compare=False)


def seconds_left_today() -> int:
    tomorrow = timezone.localdate() + timedelta(days=1)
    midnight = timezone.make_aware(datetime.combine(tomorrow, time.min))
    return max(int((midnight - timezone.now()).total_seconds()) + 1, 1)


def _today() -> str:
    # The date is in a daily counter's key: the day's count ends at midnight whenever its first event was.
    return timezone.localdate().isoformat()


def _count(limits: list[Limit]) -> Limit | None:
    """Count one event on each limit in order; the first one it went past (and the later ones are not
    counted). Raises counters.Unavailable."""
    for limit in limits:
        if counters.hit(limit.key, limit.window) > limit.limit:
            return limit
    return None


# --- the digit check on the tracking page --------------------------------------------------------

def verify_limits(request: HttpRequest, concern) -> list[Limit]:
    """Every limit a verify try counts against, client first: a client that is locked out then cannot
    use up the counters of other people's tracking codes.

    A case's counters carry its township, as every key holding a township's data does (whatever the
    host it is asked on). The client's is the county's: one address guessing at codes of several
    townships is one guesser."""
    return verify_limits_of(request, concern.township.code, concern.tracking)


def verify_limits_of(request: HttpRequest, township_code: str, tracking: str) -> list[Limit]:
    """verify_limits, for the case with this tracking code in this township (without reading it)."""
    client = counters.digest(client_address(request))
    case = f"petitions:verify:{township_code}:{tracking}"
    # (The date once: every hit of the cached tracking page asks this, and the clock was a third of it.)
    today, left_today = _today(), seconds_left_today()
    return [
        Limit(f"petitions:verify-client:{client}", VERIFY_MAX_TRIES_PER_CLIENT, VERIFY_CLIENT_WINDOW_SECONDS),
        Limit(f"{case}:{client}", VERIFY_MAX_TRIES, VERIFY_WINDOW_SECONDS),
        Limit(f"{case}:{client}:{today}", VERIFY_MAX_TRIES_PER_DAY, left_today),
        Limit(f"{case}:all:{today}", VERIFY_MAX_TRIES_PER_CODE_PER_DAY, left_today),
    ]


def take_a_try(limits: list[Limit]) -> str | None:
    """Count one try: None if it is within every limit, else why it is refused (the try stays counted).
    Fails closed: with the counters out of reach, the try is refused as unavailable for now."""
    try:
        over = _count(limits)
    except counters.Unavailable:
        return check_unavailable_message()
    if over is None:
        return None
    # The fallback: the counter that refused it ran out in between.
    return lockout_message(limits) or too_many_tries_message()


def give_back_the_try(limits: list[Limit]) -> None:
    for limit in limits:
        counters.give_back(limit.key)


def lockout_message(limits: list[Limit]) -> str | None:
    """Why the next try would be refused, or None if it would not be (the longest lock first)."""
    client, burst, day, code_day = limits
    try:
        counts = counters.peek([limit.key for limit in limits])
    except counters.Unavailable:
        return None  # the page offers the form; a try then says the check is unavailable
    if counts[day.key] >= day.limit or counts[code_day.key] >= code_day.limit:
        return gettext("Too many wrong tries for this tracking code today. For your safety, try again tomorrow.")
    if counts[client.key] >= client.limit:
        return gettext(
            "Too many wrong tries from your connection. For your safety, try again in %(minutes)d minutes."
        ) % {"minutes": VERIFY_CLIENT_WINDOW_SECONDS // 60}
    if counts[burst.key] >= burst.limit:
        return too_many_tries_message()
    return None


def too_many_tries_message() -> str:
    return gettext(
        "Too many wrong tries for this tracking code. For your safety, try again in %(minutes)d minutes."
    ) % {"minutes": VERIFY_WINDOW_SECONDS // 60}


def check_unavailable_message() -> str:
    return gettext("The check is not available right now. Please try again in a few minutes.")


# --- the public concern form ---------------------------------------------------------------------

def filing_limits(request: HttpRequest, mobile: str) -> list[Limit]:
    """The limits one filing through the public form counts against: per mobile and per client address,
    a burst and a day each (settings FILING_*). County-wide: one phone is one phone on every host."""
    burst = settings.FILING_BURST_MINUTES * 60
    phone, address = counters.digest(mobile), counters.digest(client_address(request))
    minutes = {"minutes": settings.FILING_BURST_MINUTES}
    return [
        Limit(f"petitions:filing-mobile:{phone}", settings.FILING_PER_MOBILE_BURST, burst, "mobile_burst",
              {"limit": settings.FILING_PER_MOBILE_BURST, **minutes}),
        Limit(f"petitions:filing-mobile:{phone}:{_today()}", settings.FILING_PER_MOBILE_DAY, seconds_left_today(),
              "mobile_day", {"limit": settings.FILING_PER_MOBILE_DAY}),
        Limit(f"petitions:filing-address:{address}", settings.FILING_PER_ADDRESS_BURST, burst, "address_burst",
              {"limit": settings.FILING_PER_ADDRESS_BURST, **minutes}),
        Limit(f"petitions:filing-address:{address}:{_today()}", settings.FILING_PER_ADDRESS_DAY,
              seconds_left_today(), "address_day", {"limit": settings.FILING_PER_ADDRESS_DAY}),
    ]


def count_filing(limits: list[Limit]) -> str:
    """Count one filing on every limit; why it must be held for review (a note for the staff), or ""
    when it is within them all, or when the counters cannot be reached (fails open)."""
    try:  # every one, in one round trip: a held filing still counts against the others
        counts = counters.hit_all([(limit.key, limit.window) for limit in limits])
    except counters.Unavailable:
        return ""
    over = next((limit for limit, count in zip(limits, counts) if count > limit.limit), None)
    return messages.hold_note(over.reason, **over.params) if over else ""


def give_back_filing(keys: list[str]) -> None:
    """A repeat of a filing already counted (a double tap, Back and Send again) is not another filing. Takes
    the limits' keys: the filing keeps them until the worker finds it a repeat (petitions.intake)."""
    for key in keys:
        counters.give_back(key)


# --- the open API --------------------------------------------------------------------------------

API_POST_WINDOW_SECONDS = 60 * 60


def api_post_limits(client) -> list[Limit]:
    """The limit of an API client's filings: OPEN311_POSTS_PER_HOUR per key. Every POST with the key
    counts, refused and repeated ones too, so a client stuck in a loop is stopped either way."""
    return [Limit(f"petitions:api-posts:{client.pk}", settings.OPEN311_POSTS_PER_HOUR, API_POST_WINDOW_SECONDS)]


def take_an_api_post(limits: list[Limit]) -> bool:
    """Count one POST; False if over the limit. Fails open: the counters down never stop a client."""
    try:
        return _count(limits) is None
    except counters.Unavailable:
        return True

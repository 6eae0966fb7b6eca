"""Rate limits on guessing the last four digits of a constituent's mobile on the tracking page, and on
filing through the open API.

10,000 possibilities: wrong tries are capped per tracking code (a burst limit and a daily
limit) and per client address across all codes. The open API's filings are capped per API
key (api_post_counters). The counters live in the cache, so with Redis every web process
shares them.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from liaison.clients import client_address  # noqa: F401 (moved to liaison: login throttling counts by it too)

VERIFY_MAX_TRIES = 5  # per tracking code, in a window of
VERIFY_WINDOW_SECONDS = 15 * 60
VERIFY_MAX_TRIES_PER_DAY = 10  # per tracking code, per calendar day (station time)
VERIFY_MAX_TRIES_PER_CLIENT = 20  # per client address, over all tracking codes, in a window of
VERIFY_CLIENT_WINDOW_SECONDS = 60 * 60

# Each verify try is counted before the digits are compared (an atomic add-then-incr), and refused
# once a counter is past its limit, so parallel requests cannot slip past a check-then-count.
# A right answer gives its try back: the limits are on wrong tries, and a success resets nothing.
# Every window starts at its first try and is not extended by later ones.


def seconds_left_today() -> int:
    tomorrow = timezone.localdate() + timedelta(days=1)
    midnight = timezone.make_aware(datetime.combine(tomorrow, time.min))
    return max(int((midnight - timezone.now()).total_seconds()) + 1, 1)


def verify_counters(request: HttpRequest, concern) -> list[tuple[str, int, int]]:
    """(cache key, limit, timeout) of every counter a verify try counts against, client first:
    a client that is locked out then cannot use up the counters of other people's tracking codes.

    A case's counters carry its township, as every cache key holding a township's data does (whatever
    the host it is asked on). The client's is the county's: one address guessing at codes of several
    townships is one guesser."""
    case = f"{concern.township.code}:{concern.tracking}"
    return [
        (f"petitions:verify-tries-client:{client_address(request)}",
         VERIFY_MAX_TRIES_PER_CLIENT, VERIFY_CLIENT_WINDOW_SECONDS),
        (f"petitions:verify-tries:{case}", VERIFY_MAX_TRIES, VERIFY_WINDOW_SECONDS),
        # The date is in the key: the day's count ends at midnight whenever its first try was.
        (f"petitions:verify-tries-day:{case}:{timezone.localdate().isoformat()}",
         VERIFY_MAX_TRIES_PER_DAY, seconds_left_today()),
    ]


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def take_a_try(counters: list[tuple[str, int, int]]) -> bool:
    """Count one try; False (and the try stays counted) if any counter went past its limit."""
    for key, limit, timeout in counters:
        if _count(key, timeout) > limit:
            return False
    return True


def give_back_the_try(counters: list[tuple[str, int, int]]) -> None:
    for key, _limit, _timeout in counters:
        try:
            cache.decr(key)
        except ValueError:  # the window ended meanwhile
            pass


def lockout_message(counters: list[tuple[str, int, int]]) -> str | None:
    """Why the next try would be refused, or None if it would not be (the longest lock first)."""
    counts = cache.get_many([key for key, _limit, _timeout in counters])
    (client_key, client_limit, _), (window_key, window_limit, _), (day_key, day_limit, _) = counters
    if counts.get(day_key, 0) >= day_limit:
        return gettext("Too many wrong tries for this tracking code today. For your safety, try again tomorrow.")
    if counts.get(client_key, 0) >= client_limit:
        return gettext(
            "Too many wrong tries from your connection. For your safety, try again in %(minutes)d minutes."
        ) % {"minutes": VERIFY_CLIENT_WINDOW_SECONDS // 60}
    if counts.get(window_key, 0) >= window_limit:
        return too_many_tries_message()
    return None


def too_many_tries_message() -> str:
    return gettext(
        "Too many wrong tries for this tracking code. For your safety, try again in %(minutes)d minutes."
    ) % {"minutes": VERIFY_WINDOW_SECONDS // 60}


API_POST_WINDOW_SECONDS = 60 * 60


def api_post_counters(client) -> list[tuple[str, int, int]]:
    """The counter of an API client's filings: OPEN311_POSTS_PER_HOUR per key. Every POST with the key
    counts, refused and repeated ones too, so a client stuck in a loop is stopped either way."""
    return [(f"petitions:api-posts:{client.pk}", settings.OPEN311_POSTS_PER_HOUR, API_POST_WINDOW_SECONDS)]

"""Outside demo mode, the station does not start while a demo account still opens with the published
demo password (liaison/demo.py): anyone who read the README could log in as its administrator."""

import logging

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

log = logging.getLogger("liaison.accounts")

HINT = ("Either this is the demo: set DEMO_MODE=true (make run does). Or it is a real station: give these "
        "accounts new passwords (manage.py changepassword <name>) or deactivate them in the admin.")


def demo_accounts_with_demo_password() -> list[str]:
    """The active demo accounts whose password is still the demo one (a few hashes: only these names)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password

    from liaison.demo import ACCOUNTS, DEMO_PASSWORD

    users = get_user_model().objects.filter(username__in=[a[0] for a in ACCOUNTS], is_active=True)
    # hashers.check_password, not user.check_password: that one would save an upgraded hash.
    return sorted(u.username for u in users.only("username", "password") if check_password(DEMO_PASSWORD, u.password))


def _problem() -> str | None:
    if settings.DEMO_MODE:
        return None
    try:
        names = demo_accounts_with_demo_password()
    except DatabaseError as exc:  # not migrated yet, or the database is not up: nothing to check against
        log.warning("Could not check for demo accounts with the demo password: %s", exc)
        return None
    if not names:
        return None
    return (f"Demo accounts still have the published demo password and DEMO_MODE is off: {', '.join(names)}.")


def refuse_demo_passwords() -> None:
    """Called as the web application starts (liaison/wsgi.py)."""
    if problem := _problem():
        raise ImproperlyConfigured(f"{problem} {HINT}")


@register(deploy=True)
def demo_passwords_check(app_configs, **kwargs) -> list[Error]:
    """`manage.py check --deploy` says the same before a deployment."""
    problem = _problem()
    return [Error(problem, hint=HINT, id="liaison.E101")] if problem else []

import ctypes
import ctypes.util
import os

_M_ARENA_MAX = -8  # glibc's malloc.h


def _few_malloc_arenas(arenas: int = 2) -> None:
    """Let this process's threads share two malloc arenas, as MALLOC_ARENA_MAX=2 would (a value set for the
    process wins). glibc gives each thread that allocates an arena of its own, up to eight a core, and keeps
    what each grew: a process whose four threads decoded 24 of bench/run.py's 3 MB phone photos went from 96
    to 219 MB, and to 108 MB with two arenas."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        ctypes.CDLL(ctypes.util.find_library("c")).mallopt(_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to set
        pass


# Before the first request's threads allocate: gunicorn loads the app in each worker before starting them.
_few_malloc_arenas()

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

application = get_wsgi_application()

# Outside the demo (DEMO_MODE), refuse to serve while demo accounts keep the published password.
from liaison.accounts.demo_guard import refuse_demo_passwords  # noqa: E402 (needs the app registry)

refuse_demo_passwords()

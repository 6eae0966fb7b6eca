import ctypes
import ctypes.util
import gc
import os

_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8  # glibc's malloc.h


def _malloc_for_threads(arenas: int = 2, mmap_threshold: int = 128 * 1024) -> None:
    """glibc's malloc tuned for a web worker's threads (MALLOC_ARENA_MAX or MALLOC_MMAP_THRESHOLD_ set for
    the process wins over each):

    - the threads share two arenas: glibc gives each thread that allocates an arena of its own, up to eight
      a core, and keeps what each grew (a process whose four threads decoded 24 of bench/run.py's 3 MB phone
      photos went from 96 to 219 MB, and to 108 MB with two arenas);
    - a block over 128 KB (a photo's pixels, a long page) is always mapped on its own and given back when
      freed. By default glibc raises that threshold to the largest block freed so far, after which such
      blocks come from the heap and stay there: workers that had taken filings with a photo at 8 and 32
      clients kept 141-228 MB (Python's own heap had grown by 1-15 MB), and 88-97 MB with it fixed."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        if "MALLOC_ARENA_MAX" not in os.environ:
            libc.mallopt(_M_ARENA_MAX, arenas)
        if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
            libc.mallopt(_M_MMAP_THRESHOLD, mmap_threshold)
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to set
        pass


# Before the first request's threads allocate: gunicorn loads the app in each worker before starting them.
_malloc_for_threads()

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

application = get_wsgi_application()

# Outside the demo (DEMO_MODE), refuse to serve while demo accounts keep the published password.
from liaison.accounts.demo_guard import refuse_demo_passwords  # noqa: E402 (needs the app registry)

refuse_demo_passwords()

# What loading made (Django, the apps, the URLconf: some 130,000 objects) lives as long as the worker: moved out
# of the collector's reach, a full collection no longer walks it. It stopped every thread of the worker for
# about 66 ms each time (3 ms frozen), measured serving the portal in-process on the county bench database.
gc.freeze()

"""liaison.wsgi: the web process's threads share two malloc arenas, and large blocks are given back when freed
(a worker's memory, issue 12)."""

import ctypes.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Eight threads allocate at once, then glibc's malloc_info lists the process's arenas ("heaps").
_COUNT_ARENAS = """
import ctypes, ctypes.util, tempfile, threading
import liaison.wsgi
together = threading.Barrier(8)
def allocate():
    together.wait()
    kept = [str(i) * 8 for i in range(50_000)]
    together.wait()
threads = [threading.Thread(target=allocate) for _ in range(8)]
[thread.start() for thread in threads]
[thread.join() for thread in threads]
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.fopen.restype = ctypes.c_void_p
path = tempfile.mktemp()
report = ctypes.c_void_p(libc.fopen(path.encode(), b"w"))
libc.malloc_info(0, report)
libc.fclose(report)
print(open(path).read().count("<heap nr="))
"""


# Blocks of 8-20 MB allocated and freed one after another, with small objects allocated above each; then how
# many MB more the process holds than before ({wsgi}: the import that tunes malloc, or nothing).
_KEEPS_AFTER_BLOCKS = """
import re
{wsgi}
def rss():
    return int(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read())[1]) // 1024
before = rss()
for size in (20, 20, 12, 8):
    block = bytearray(size << 20)
    above = [bytes(100) for _ in range(1000)]
    del block
print(rss() - before)
"""


def _run(script: str, tmp_path: Path, **env: str) -> int:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "REDIS_URL"},
           "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    return int(done.stdout.split()[-1])


def _arenas(tmp_path: Path, **env: str) -> int:
    return _run(_COUNT_ARENAS, tmp_path, **env)


@pytest.mark.skipif(not hasattr(ctypes.CDLL(ctypes.util.find_library("c")), "malloc_info"), reason="glibc only")
def test_the_web_process_keeps_two_malloc_arenas_unless_told_otherwise(tmp_path):
    assert _arenas(tmp_path) <= 2
    assert _arenas(tmp_path, MALLOC_ARENA_MAX="8") > 2  # what the threads would take; an explicit value wins


@pytest.mark.skipif(not Path("/proc/self/status").exists() or not hasattr(ctypes.CDLL(ctypes.util.find_library("c")),
                                                                           "malloc_info"), reason="glibc on Linux")
def test_the_web_process_gives_large_freed_blocks_back(tmp_path):
    assert _run(_KEEPS_AFTER_BLOCKS.replace("{wsgi}", "import liaison.wsgi"), tmp_path) < 5
    # Without it, glibc's threshold rises to the first 20 MB block freed, and the second stays in the heap.
    assert _run(_KEEPS_AFTER_BLOCKS.replace("{wsgi}", ""), tmp_path) >= 15


def test_what_loading_made_is_kept_out_of_the_collectors_walks(tmp_path):
    # A full collection walks every tracked object but the frozen ones; loading the app leaves none to walk.
    script = "import gc, liaison.wsgi; print(gc.get_freeze_count() - len(gc.get_objects(generation=2)))"
    assert _run(script, tmp_path) > 50_000

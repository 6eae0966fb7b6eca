"""liaison.db.without_parallel_workers: the block's queries run without PostgreSQL's parallel workers, and
the connection is as it was after it (the setting is the transaction's own)."""

import pytest
from django.db import connection

from liaison.db import without_parallel_workers


def _workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting: the PostgreSQL tier")
def test_the_block_runs_without_parallel_workers_and_the_connection_keeps_its_setting():
    before = _workers()
    assert before != "0"  # the server's default (2): else this test would prove nothing
    with without_parallel_workers():
        assert _workers() == "0"
    assert _workers() == before
    with pytest.raises(ZeroDivisionError), without_parallel_workers():
        1 / 0
    assert _workers() == before


@pytest.mark.django_db
def test_elsewhere_the_block_just_runs():
    ran = []
    with without_parallel_workers():
        ran.append(True)
    assert ran == [True]

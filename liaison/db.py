from contextlib import contextmanager

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


@contextmanager
def without_parallel_workers():
    """Run the block's queries without PostgreSQL's parallel workers (in one transaction; a no-op elsewhere).

    For queries that each read a few thousand rows, such as the cockpit's: on a township's two cores,
    starting the workers costs more than they save, and they take the cores other requests are using.
    bench/profile.py measured the county's cockpit at 220–247 ms without them and 257–293 ms with them.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield

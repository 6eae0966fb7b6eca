"""A case-insensitive "contains" that PostgreSQL's text indexes can serve (migration 0005_desk_search)."""

from django.db.models import Lookup
from django.db.models.lookups import IContains

# Shorter queries have no trigram for pg_trgm's index to look up.
TRIGRAM = 3


class ContainsText(IContains):
    """`filter(ContainsText(F("content"), "路灯"))`: the rows whose text holds the words, in any case.

    The same rows as `content__icontains`. On PostgreSQL Django writes icontains as
    UPPER(content) LIKE UPPER('%…%'), which no index on the column serves (and UPPER over
    Chinese text costs about four times a plain scan); ILIKE is served by pg_trgm's index
    from three characters. Two characters hold no trigram, so the row must first hold the
    pair (petitions_bigrams, with its own index); one character reads the rows as they come.
    Elsewhere (SQLite) it is plain icontains.
    """

    def as_postgresql(self, compiler, connection):
        # The base Lookup's, not icontains': the bare column, without UPPER(…::text).
        lhs, lhs_params = Lookup.process_lhs(self, compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql, params = f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]
        if isinstance(self.rhs, str) and len(self.rhs) == TRIGRAM - 1:
            sql = f"petitions_bigrams({lhs}) @> ARRAY[lower(%s)] AND {sql}"
            params = [*lhs_params, self.rhs, *params]
        return sql, params

"""On PostgreSQL the database itself keeps the audit log append-only (liaison migration 0008)."""

import pytest
from django.db import DatabaseError, connection, transaction

from liaison.audit import audit_record
from liaison.models import AuditEntry
from tests.factories import the_township


@pytest.mark.django_db
@pytest.mark.parametrize("sql", [
    "UPDATE liaison_auditentry SET reason = 'changed' WHERE id = %s",
    "DELETE FROM liaison_auditentry WHERE id = %s",
])
def test_even_raw_sql_cannot_change_or_delete_an_audit_row(sql):
    entry = audit_record(actor=None, action=AuditEntry.Action.EXPORT, label="x.xlsx", township=the_township())[0]

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])

    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()

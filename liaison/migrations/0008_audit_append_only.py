# On PostgreSQL the database itself refuses to change or delete an audit row, whatever code asks (raw SQL
# included). TRUNCATE (manage.py flush, the test tiers) is not an UPDATE or a DELETE and still empties it.
# SQLite is left to the model's guards: Django's flush there deletes row by row.

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION liaison_auditentry_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (docs/privacy.md)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER liaison_auditentry_append_only BEFORE UPDATE OR DELETE ON liaison_auditentry
    FOR EACH ROW EXECUTE FUNCTION liaison_auditentry_refuse();
"""
DROP = """
DROP TRIGGER IF EXISTS liaison_auditentry_append_only ON liaison_auditentry;
DROP FUNCTION IF EXISTS liaison_auditentry_refuse();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("liaison", "0007_audit_log"),
    ]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]

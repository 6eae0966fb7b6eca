import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

# The desk's search for words in a concern's text (petitions.lookups.ContainsText), PostgreSQL only:
# SQLite, the embedded default, scans its few thousand rows and needs neither.
#
# - pg_trgm's GIN index serves `content ILIKE '%窨井盖%'` for three characters and more; pg_trgm splits
#   Chinese text into trigrams of characters like any other letters (checked with show_trgm).
# - A two-character query ("路灯", "低保": most Chinese words) holds no trigram, so that index cannot serve
#   it and PostgreSQL would read every row. petitions_bigrams(text) lists the text's distinct character
#   pairs, lower-cased; its GIN index finds the rows holding the pair (`@> ARRAY['路灯']`).
# pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS concern_content_trgm_idx ON petitions_concern USING gin (content gin_trgm_ops)",
    """
    CREATE OR REPLACE FUNCTION petitions_bigrams(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(lower(value), i, 2)), '{}')
        FROM generate_series(1, char_length(value) - 1) AS i
    $$
    """,
    "CREATE INDEX IF NOT EXISTS concern_content_bigram_idx ON petitions_concern USING gin (petitions_bigrams(content))",
]
_DROP = [
    "DROP INDEX IF EXISTS concern_content_bigram_idx",
    "DROP FUNCTION IF EXISTS petitions_bigrams(text)",
    "DROP INDEX IF EXISTS concern_content_trgm_idx",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('deputies', '0001_initial'),
        ('petitions', '0004_dedupe'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='constituent',
            name='mobile_last4',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.functions.text.Right('mobile', 4), output_field=models.CharField(max_length=4)),
        ),
        migrations.AlterField(
            model_name='constituent',
            name='name',
            field=models.CharField(blank=True, db_index=True, max_length=50, verbose_name='name'),
        ),
        migrations.AddIndex(
            model_name='constituent',
            index=models.Index(fields=['mobile_last4'], name='constituent_mobile_last4_idx'),
        ),
        migrations.AddIndex(
            model_name='concern',
            index=models.Index(fields=['deadline_on', 'created_at'], name='concern_deadline_sort_idx'),
        ),
        migrations.AddIndex(
            model_name='concern',
            index=models.Index(fields=['updated_at'], name='concern_updated_idx'),
        ),
        migrations.AddIndex(
            model_name='concern',
            index=models.Index(condition=models.Q(('status__in', ['submitted', 'accepted', 'assigned', 'in_progress'])), fields=['deadline_on', 'created_at'], name='concern_open_deadline_idx'),
        ),
        migrations.RunPython(_on_postgresql(_CREATE), _on_postgresql(_DROP), elidable=False),
    ]

"""The calendar and the outbox move from petitions/ to liaison/, the station-wide base (their rows stay).

The state moves here; petitions 0003 forgets them and 0003 below renames the tables.
The content types move with them, so permissions given on them keep working.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("calendarday", "notification"):
        if not ContentType.objects.filter(app_label="liaison", model=model).exists():
            ContentType.objects.filter(app_label="petitions", model=model).update(app_label="liaison")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="liaison", model__in=["calendarday", "notification"]).update(
        app_label="petitions"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("liaison", "0001_roles"),
        ("petitions", "0002_notification_subject"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CalendarDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='date')),
                        ('is_workday', models.BooleanField(verbose_name='working day')),
                        ('name', models.CharField(blank=True, help_text='e.g. National Day', max_length=50, verbose_name='name')),
                    ],
                    options={
                        'db_table': 'petitions_calendarday',
                        'verbose_name': 'calendar day',
                        'verbose_name_plural': 'holiday calendar',
                        'ordering': ['date'],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('channel', models.CharField(choices=[('sms', 'SMS'), ('email', 'E-mail')], max_length=8, verbose_name='sent by')),
                        ('recipient', models.CharField(help_text='Mobile number or e-mail address.', max_length=254, verbose_name='recipient')),
                        ('subject', models.CharField(blank=True, max_length=200, verbose_name='subject')),
                        ('body', models.TextField(verbose_name='message')),
                        ('subject_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='about (number)')),
                        ('key', models.CharField(max_length=200, unique=True, verbose_name='once-only key')),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=8, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                        ('subject_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='about (kind)')),
                    ],
                    options={
                        'db_table': 'petitions_notification',
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['status', 'created_at'], name='notification_outbox_idx'), models.Index(fields=['subject_type', 'subject_id'], name='notification_subject_idx')],
                    },
                ),

            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]

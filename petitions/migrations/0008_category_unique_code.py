# Apart from 0007: on PostgreSQL, a table whose rows were just updated is better altered in a transaction of its own.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('liaison', '0005_townships'),
        ('petitions', '0007_category_code_api_client'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='category',
            constraint=models.UniqueConstraint(fields=('township', 'code'), name='category_unique_code'),
        ),
    ]

"""The report model moved to the reports core (reports/0001): foreign keys follow it. State only: the column and
the table it points at are unchanged.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('custody', '0001_initial'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='disclosurerequest',
                    name='report',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reports.report'),
                ),
                migrations.AlterField(
                    model_name='identitydisclosure',
                    name='report',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='identity_disclosures', to='reports.report'),
                ),
            ],
            database_operations=[],
        ),
    ]

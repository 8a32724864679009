"""The report model moved to the reports core (reports/0001): foreign keys follow it. State only: the column and
the table it points at are unchanged.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
        ('safeguarding', '0002_monitoring_run'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='retaliationalert',
                    name='report',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reports.report'),
                ),
                migrations.AlterField(
                    model_name='retaliationclaim',
                    name='report',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reports.report'),
                ),
            ],
            database_operations=[],
        ),
    ]

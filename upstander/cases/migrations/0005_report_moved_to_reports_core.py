"""The report and everything kept with it moved to the reports core (reports/0001_initial). State only: the
tables stay, now owned by `reports` through Meta.db_table. First the case models' foreign keys follow the report,
then the old models leave the state (those that point at others first, so no reference dangles); every other
app's foreign keys were moved by the migrations this one depends on."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_decision_value_text'),
        ('custody', '0002_report_moved_to_reports_core'),
        ('intake', '0002_models_moved_to_reports_core'),
        ('reports', '0001_initial'),
        ('safeguarding', '0003_report_moved_to_reports_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='statement',
                    name='report',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                            related_name='+', to='reports.report'),
                ),
                migrations.AlterField(
                    model_name='flag',
                    name='report',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                            related_name='flags', to='reports.report'),
                ),
                migrations.AlterField(
                    model_name='allegation',
                    name='mention',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                            related_name='+', to='reports.subjectmention'),
                ),
                migrations.DeleteModel(name='Message'),
                migrations.DeleteModel(name='SealedKey'),
                migrations.DeleteModel(name='ReporterLink'),
                migrations.DeleteModel(name='SubjectMention'),
                migrations.DeleteModel(name='Report'),
            ],
            database_operations=[],
        ),
    ]

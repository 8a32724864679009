"""The reporter side's models moved to the reports core (reports/0001_initial). State only: the tables stay, now
owned by `reports` through Meta.db_table. Models that point at others go first, so no reference dangles."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0001_initial'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Attachment'),
                migrations.DeleteModel(name='ReporterRequest'),
                migrations.DeleteModel(name='UpdateContact'),
                migrations.DeleteModel(name='ListeningCircleDisclosure'),
                migrations.DeleteModel(name='PendingBlob'),
                migrations.DeleteModel(name='Draft'),
                migrations.DeleteModel(name='ReceiptFailureWindow'),
            ],
            database_operations=[],
        ),
    ]

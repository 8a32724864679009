"""A named reporter's update address was kept a second time, encrypted under a key derived from the server's secret
key, so a copy of the data directory alone could read it (issue 11). It is now read from their identity, under the
report's data key, by the staff action that sends the email: the second copy and its table go."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.DeleteModel(
            name='UpdateContact',
        ),
    ]

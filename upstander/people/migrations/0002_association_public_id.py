# Adds a random public id to declared associations (DESIGN.md rule 7), filled for existing rows one by one.

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    DeclaredAssociation = apps.get_model("people", "DeclaredAssociation")
    for row in DeclaredAssociation.objects.filter(public_id__isnull=True).only("pk"):
        row.public_id = uuid.uuid4()
        row.save(update_fields=["public_id"])


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="declaredassociation",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="declaredassociation",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]

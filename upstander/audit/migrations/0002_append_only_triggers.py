from django.db import migrations

from upstander.audit import db_guard


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = db_guard.SQLITE_TRIGGERS if vendor == "sqlite" else db_guard.POSTGRES_TRIGGERS
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in db_guard.SQLITE_DROP if vendor == "sqlite" else db_guard.POSTGRES_DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

"""The database cache's table (``CACHES`` in settings), so ``migrate`` is all a deployment runs."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_heartbeats_and_progress")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

"""Each run keeps the version of the method that applied its spread rules: runs made before this
migration used the greedy method ("greedy-1"), new runs the exact one ("exact-1")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0003_run_outputs"),
    ]

    operations = [
        migrations.AddField(
            model_name="screeningrun",
            name="shortlist_method",
            field=models.CharField(default="greedy-1", max_length=20, verbose_name="shortlist method"),
        ),
        migrations.AlterField(
            model_name="screeningrun",
            name="shortlist_method",
            field=models.CharField(default="exact-1", max_length=20, verbose_name="shortlist method"),
        ),
    ]

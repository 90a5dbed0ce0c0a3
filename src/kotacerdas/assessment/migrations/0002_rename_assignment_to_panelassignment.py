"""Two models were called Assignment (a form attached to a phase, an assessor assessing a
candidate): this one is now PanelAssignment. The rows, the history and the content type are kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("Assignment", "PanelAssignment"),
        migrations.RenameModel("HistoricalAssignment", "HistoricalPanelAssignment"),
    ]

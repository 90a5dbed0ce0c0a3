"""Two models were called Assignment (a form attached to a phase, an assessor assessing a
candidate): this one is now FormAssignment. The rows and the content type are kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("questionnaires", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("Assignment", "FormAssignment"),
    ]

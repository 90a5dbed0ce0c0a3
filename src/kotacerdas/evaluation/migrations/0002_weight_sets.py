from decimal import Decimal

from django.db import migrations

DIMENSIONS = ("baseline", "output", "outcome", "impact", "quick_win")

# The weight sets of the evaluation index (percent). v2 reproduces the published results of the
# recent years; v1 is the older set, kept so that results computed with it stay explicable.
WEIGHT_SETS = [
    {"version": "v1", "name": "Bobot lama 10/20/30/30/10", "baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick_win": 10,
     "is_default": False, "source": "Older weight set of the evaluation of the Gerakan Menuju 100 Smart City."},
    {"version": "v2", "name": "Bobot 10/20/30/20/20", "baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 20,
     "is_default": True, "source": "Weight set reproducing the published evaluation results of recent years."},
]


def add_weight_sets(apps, schema_editor):
    WeightSet = apps.get_model("evaluation", "WeightSet")
    for spec in WEIGHT_SETS:
        values = {k: (Decimal(v) if k in DIMENSIONS else v) for k, v in spec.items() if k != "version"}
        WeightSet.objects.update_or_create(version=spec["version"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(add_weight_sets, migrations.RunPython.noop)]

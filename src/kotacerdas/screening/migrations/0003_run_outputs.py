"""The scores, ranks and SMAA probabilities of a run's eligible regions move from one result row
per region to arrays on the run (``ScreeningRun.outputs``, a NumPy ``.npz`` aligned with the
region ids of ``inputs``); result rows stay for the shortlist and the excluded regions.

Forwards fills ``outputs`` from the rows and deletes the rows of eligible regions not in the
shortlist; backwards writes those rows again from the arrays. One run at a time (a run's inputs
are ~20 MB at 83,763 regions x 30 criteria).
"""

import io

import numpy as np
from django.db import migrations, models

# As kotacerdas.screening.services.stability_of when this migration was written.
STABLE_IN, STABLE_OUT = 0.9, 0.1


def _stability(probability):
    if probability is None:
        return ""
    if probability >= STABLE_IN:
        return "stable_in"
    if probability <= STABLE_OUT:
        return "stable_out"
    return "borderline"


def _region_ids(run):
    with np.load(io.BytesIO(bytes(run.inputs))) as data:
        return data["region_ids"]


def fill_outputs(apps, schema_editor):
    ScreeningRun = apps.get_model("screening", "ScreeningRun")
    RunResult = apps.get_model("screening", "RunResult")
    for pk in list(ScreeningRun.objects.order_by("pk").values_list("pk", flat=True)):
        run = ScreeningRun.objects.only("pk", "inputs", "outputs").get(pk=pk)
        if bytes(run.outputs):
            continue  # already in the new form
        region_ids = _region_ids(run)
        rows = {region_id: (score, rank, probability) for region_id, score, rank, probability in
                RunResult.objects.filter(run_id=pk, rank__isnull=False).values_list(
                    "region_id", "score", "rank", "probability")}
        missing = [region_id for region_id in region_ids.tolist() if region_id not in rows]
        if missing or len(rows) != len(region_ids):
            raise RuntimeError(f"Screening run #{pk}: the ranked result rows do not match its inputs' regions "
                               f"({len(rows)} rows, {len(region_ids)} regions, {len(missing)} without a row).")
        ordered = [rows[region_id] for region_id in region_ids.tolist()]
        arrays = {"scores": np.array([row[0] for row in ordered], dtype=np.float64),
                  "ranks": np.array([row[1] for row in ordered], dtype=np.int64)}
        probabilities = [row[2] for row in ordered]
        known = sum(p is not None for p in probabilities)
        if known == len(probabilities) and known:
            arrays["probability"] = np.array(probabilities, dtype=np.float64)
        elif known:
            raise RuntimeError(f"Screening run #{pk}: {len(probabilities) - known} ranked regions lack the SMAA "
                               "probability the others have.")
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        ScreeningRun.objects.filter(pk=pk).update(outputs=buffer.getvalue())
        RunResult.objects.filter(run_id=pk, rank__isnull=False, in_shortlist=False).delete()


def restore_rows(apps, schema_editor):
    ScreeningRun = apps.get_model("screening", "ScreeningRun")
    RunResult = apps.get_model("screening", "RunResult")
    for pk in list(ScreeningRun.objects.order_by("pk").values_list("pk", flat=True)):
        run = ScreeningRun.objects.only("pk", "inputs", "outputs").get(pk=pk)
        if not bytes(run.outputs):
            continue
        region_ids = _region_ids(run)
        with np.load(io.BytesIO(bytes(run.outputs))) as data:
            scores, ranks = data["scores"].tolist(), data["ranks"].tolist()
            probability = data["probability"].tolist() if "probability" in data.files else [None] * len(scores)
        stored = set(RunResult.objects.filter(run_id=pk).values_list("region_id", flat=True))
        RunResult.objects.bulk_create([
            RunResult(run_id=pk, region_id=region_id, score=score, rank=rank, in_shortlist=False, shortlist_reason="",
                      probability=p, stability=_stability(p), excluded_by="")
            for region_id, score, rank, p in zip(region_ids.tolist(), scores, ranks, probability)
            if region_id not in stored
        ], batch_size=2000)
        ScreeningRun.objects.filter(pk=pk).update(outputs=b"")


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0002_rule_and_check_history'),
    ]

    operations = [
        migrations.AddField(
            model_name='screeningrun',
            name='outputs',
            field=models.BinaryField(default=b'', verbose_name='outputs'),
        ),
        migrations.RunPython(fill_outputs, restore_rows),
    ]

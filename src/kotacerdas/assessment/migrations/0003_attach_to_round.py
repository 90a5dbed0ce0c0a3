"""The engine attaches to a program round instead of a phase: every existing row points at its
phase's selection round (created by program 0002), the phase staying as a shortcut. A panel also
says its lowest score (1 for selection, 0 for an evaluation's verification)."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def point_at_rounds(apps, schema_editor):
    Round = apps.get_model("program", "Round")
    Model = apps.get_model("assessment", "panel")
    round_of_phase = dict(Round.objects.filter(phase__isnull=False).values_list("phase_id", "pk"))
    for phase_id, round_id in round_of_phase.items():
        Model.objects.filter(phase_id=phase_id).update(round_id=round_id)
    Historical = apps.get_model("assessment", "historicalpanel")
    for phase_id, round_id in round_of_phase.items():
        Historical.objects.filter(phase_id=phase_id, round_id__isnull=True).update(round_id=round_id)
    missing = Model.objects.filter(round__isnull=True).count()
    if missing:
        raise RuntimeError(f"{missing} panel rows have no round after the migration")


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0002_rename_assignment_to_panelassignment'),
        ('program', '0002_rounds'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='panel',
            options={'ordering': ['round__year', 'round__stage'], 'verbose_name': 'assessment panel', 'verbose_name_plural': 'assessment panels'},
        ),
        migrations.AddField(
            model_name='historicalpanel',
            name='round',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='program.round', verbose_name='round'),
        ),
        migrations.AddField(
            model_name='panel',
            name='round',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='panel', to='program.round', verbose_name='round'),
        ),
        migrations.RunPython(point_at_rounds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='panel',
            name='round',
            field=models.OneToOneField(blank=True, on_delete=django.db.models.deletion.PROTECT, related_name='panel', to='program.round', verbose_name='round'),
        ),
        migrations.AlterField(
            model_name='panel',
            name='phase',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='panel', to='program.phase', verbose_name='phase'),
        ),
        migrations.RemoveConstraint(
            model_name='score',
            name='score_between_1_and_5',
        ),
        migrations.AddField(
            model_name='historicalpanel',
            name='lowest_score',
            field=models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MaxValueValidator(1)], verbose_name='lowest score'),
        ),
        migrations.AddField(
            model_name='panel',
            name='lowest_score',
            field=models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MaxValueValidator(1)], verbose_name='lowest score'),
        ),
        migrations.AlterField(
            model_name='historicalscore',
            name='value',
            field=models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(5)], verbose_name='score'),
        ),
        migrations.AlterField(
            model_name='score',
            name='value',
            field=models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(5)], verbose_name='score'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.CheckConstraint(condition=models.Q(('value__gte', 0), ('value__lte', 5)), name='score_between_0_and_5'),
        ),
    ]

"""The engine attaches to a program round instead of a phase: every existing row points at its
phase's selection round (created by program 0002), the phase staying as a shortcut."""

import django.db.models.deletion
from django.db import migrations, models


def point_at_rounds(apps, schema_editor):
    Round = apps.get_model("program", "Round")
    Model = apps.get_model("questionnaires", "FormAssignment")
    round_of_phase = dict(Round.objects.filter(phase__isnull=False).values_list("phase_id", "pk"))
    for phase_id, round_id in round_of_phase.items():
        Model.objects.filter(phase_id=phase_id).update(round_id=round_id)
    missing = Model.objects.filter(round__isnull=True).count()
    if missing:
        raise RuntimeError(f"{missing} questionnaire attachments have no round after the migration")


class Migration(migrations.Migration):

    dependencies = [
        ('program', '0002_rounds'),
        ('questionnaires', '0002_rename_assignment_to_formassignment'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='formassignment',
            options={'ordering': ['-round__year', '-round__stage', 'stage', 'form__title'], 'verbose_name': 'questionnaire of a phase', 'verbose_name_plural': 'questionnaires of phases'},
        ),
        migrations.RemoveConstraint(
            model_name='formassignment',
            name='one_form_per_phase_stage',
        ),
        migrations.AddField(
            model_name='formassignment',
            name='round',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='questionnaires', to='program.round', verbose_name='round'),
        ),
        migrations.RunPython(point_at_rounds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='formassignment',
            name='round',
            field=models.ForeignKey(blank=True, on_delete=django.db.models.deletion.PROTECT, related_name='questionnaires', to='program.round', verbose_name='round'),
        ),
        migrations.AlterField(
            model_name='formassignment',
            name='phase',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='questionnaires', to='program.phase'),
        ),
        migrations.AddConstraint(
            model_name='formassignment',
            constraint=models.UniqueConstraint(fields=('form', 'round', 'stage'), name='one_form_per_round_stage'),
        ),
    ]

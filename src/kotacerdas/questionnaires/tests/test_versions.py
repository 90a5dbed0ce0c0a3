"""Form versions: a version with answers never changes; drafts keep their version, new drafts
use the newest."""

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.questionnaires import services
from kotacerdas.questionnaires.models import FormVersion

from .conftest import CHOICES, SURVEY, xlsform


def test_importing_the_same_form_again_makes_no_new_version(db, form_bytes):
    first = services.import_form(form_bytes, "uji.xlsx")
    again = services.import_form(form_bytes, "uji.xlsx")
    assert again.pk == first.pk and first.number == 1
    assert first.source.name.startswith("questionnaires/forms/")


def test_an_edited_form_becomes_a_new_version_and_new_drafts_use_it(submission, assignment, dave, erin):
    from kotacerdas.regions.models import Region

    services.save_answers(submission, {"has_plan": ("no", 0)}, user=dave)
    edited = SURVEY + [["text", "extra", "Tambahan", "Extra"]]
    version = services.import_form(xlsform(edited, CHOICES), "uji.xlsx")
    assert version.number == 2
    submission.refresh_from_db()
    assert submission.version.number == 1  # the draft stays on its version
    other = services.start_submission(assignment, Region.objects.get(code="63.04"), user=erin)
    assert other.version == version


def test_a_version_with_answers_cannot_be_changed(submission, dave):
    services.save_answers(submission, {"has_plan": ("no", 0)}, user=dave)
    version = FormVersion.objects.get(pk=submission.version_id)
    version.definition = {**version.definition, "title": "changed"}
    version.title = "changed"
    with pytest.raises(ValidationError):
        version.save()

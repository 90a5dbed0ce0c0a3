"""Objects the role matrix (accounts/tests/test_role_matrix.py) asks for."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


def matrix_ids():
    """A form attached to a phase with Banjar (63.03) and Barito Kuala (63.04) invited, Banjar's
    submission and one evidence file of it."""
    from kotacerdas.accounts.models import RoleGrant
    from kotacerdas.program.models import Participation, Phase, ParticipationStatus
    from kotacerdas.questionnaires import services
    from kotacerdas.regions.models import Region

    from .conftest import CHOICES, SURVEY, xlsform

    phase, _created = Phase.objects.get_or_create(year=2032, defaults={"name": "Tahap Matriks 2032", "quota": 1, "is_demo": True})
    for code in ("63.03", "63.04"):
        Participation.objects.get_or_create(phase=phase, region=Region.objects.get(code=code), defaults={"status": ParticipationStatus.INVITED})
    version = services.import_form(xlsform(SURVEY, CHOICES), "uji.xlsx")
    now = timezone.now()
    assignment = services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))
    banjar = Region.objects.get(code="63.03")
    operator = RoleGrant.objects.filter(role="operator", region=banjar).first()
    submission = services.start_submission(assignment, banjar, user=operator.user if operator else None)
    evidence = services.add_evidence(submission, "has_plan", SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n%%EOF\n"))
    return {"q_form": version.form_id, "q_assignment": assignment.pk, "q_submission": submission.pk, "q_evidence": evidence.pk}

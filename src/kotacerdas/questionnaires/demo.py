"""The demo phase's readiness questionnaire with a few filled submissions (invented, in the
demo phase only)."""

import datetime

from django.db import transaction
from django.utils import timezone

from . import services
from .demo_form import WORKBOOK
from .models import FormAssignment, AssignmentStage

DEMO_ANSWERS = {
    "komitmen_visi": "berjalan", "komitmen_sk": "ya", "komitmen_sk_tanggal": "2026-08-17", "komitmen_rapat": "4",
    "komitmen_forum": "rintisan", "kebijakan_perda": "berjalan", "kebijakan_jenis": "perda_tik perkada_spbe",
    "kebijakan_tahun": "2024", "kebijakan_spbe": "berjalan", "visi_rpjmd": "matang", "visi_masterplan": "tidak",
    "visi_dimensi": "governance economy", "anggaran_apbd": "2150.5", "anggaran_tik": "32.4", "anggaran_mandiri": "rintisan",
    "infra_jaringan": "berjalan", "infra_pusat_data": "tidak", "infra_titik_wifi": "120", "infra_cakupan": "87.5",
    "integrasi_interop": "rintisan", "integrasi_jumlah": "35", "integrasi_satu_data": "ya", "integrasi_command": "belum",
    "keamanan_kebijakan": "rintisan", "keamanan_csirt": "tidak", "keamanan_insiden": "2", "keamanan_audit": "belum",
    "sdm_pranata": "14", "sdm_bersertifikat": "5", "sdm_pelatihan": "berjalan", "sdm_literasi": "rintisan",
}


def load_demo_questionnaire(phase):
    """Attach the demo readiness form to the demo phase (open from today for 60 days) and fill
    it for three invited regions: one submitted, two drafts. Kept as it is on later runs."""
    with transaction.atomic():
        version = services.import_form(WORKBOOK.read_bytes(), WORKBOOK.name)
        assignment = FormAssignment.objects.filter(form=version.form, phase=phase, stage=AssignmentStage.READINESS).first()
        if assignment is not None:
            return assignment, False
        now = timezone.now()
        assignment = services.attach_form(version.form, phase, AssignmentStage.READINESS, now - datetime.timedelta(days=1), now + datetime.timedelta(days=60))
        for number, region in enumerate(services.regions_for(assignment)[:3]):
            submission = services.start_submission(assignment, region)
            answers = DEMO_ANSWERS if number == 0 else dict(list(DEMO_ANSWERS.items())[: 10 * number])
            services.save_answers(submission, {key: (value, None) for key, value in answers.items()})
            if number == 0:
                services.submit(submission)
    return assignment, True

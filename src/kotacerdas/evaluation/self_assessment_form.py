"""The default self-assessment form of the yearly evaluation, written as an XLSForm (Indonesian
first, English labels), one group per evaluation dimension; every question takes evidence files
through the questionnaire engine.

``python -m kotacerdas.evaluation.self_assessment_form`` writes ``data/evaluasi_smart_city.xlsx``
from the table below; the shipped workbook is that output and must import cleanly (tested).
"""

from pathlib import Path

WORKBOOK = Path(__file__).resolve().parent / "data" / "evaluasi_smart_city.xlsx"
HEADER = ["type", "name", "label::Bahasa Indonesia (id)", "label::English (en)", "required", "relevant", "constraint",
          "constraint_message::Bahasa Indonesia (id)", "constraint_message::English (en)"]
LEVEL = "select_one level"
# (group, Indonesian, English, [(type, name, Indonesian, English, relevant, constraint)])
DIMENSIONS = [
    ("baseline", "Baseline: perubahan sejak evaluasi terakhir", "Baseline: change since the last evaluation", [
        (LEVEL, "baseline_tindak_lanjut", "Tindak lanjut rekomendasi evaluasi sebelumnya", "Follow-up of the previous evaluation's recommendations", "", ""),
        ("text", "baseline_perubahan", "Perubahan utama sejak evaluasi terakhir", "Main changes since the last evaluation", "", ""),
    ]),
    ("output", "Output: regulasi, kelembagaan, anggaran", "Output: regulation, institutions, budget", [
        ("select_one yn", "output_perbup", "Masterplan ditetapkan dengan Perbup/Perwali?", "Is the master plan enacted by a regional head regulation?", "", ""),
        ("select_one yn", "output_dewan", "Dewan Smart City dan Tim Pelaksana aktif?", "Are the Smart City Council and Implementation Team active?", "", ""),
        ("decimal", "output_anggaran", "Anggaran program smart city tahun ini (juta Rp)", "Smart city program budget this year (million Rp)", "", ". >= 0"),
    ]),
    ("outcome", "Outcome: program masterplan berjalan", "Outcome: master plan programs implemented", [
        ("integer", "outcome_direncanakan", "Program masterplan yang direncanakan tahun ini", "Master plan programs planned this year", "", ". >= 0"),
        ("integer", "outcome_berjalan", "Program yang berjalan atau selesai", "Programs running or done", "", ". >= 0 and . <= ${outcome_direncanakan}"),
    ]),
    ("impact", "Impact: manfaat yang dirasakan warga", "Impact: benefits citizens feel", [
        (LEVEL, "impact_layanan", "Peningkatan layanan publik", "Improvement of public services", "", ""),
        ("text", "impact_bukti", "Bukti manfaat (survei, data layanan)", "Evidence of benefits (surveys, service data)", "", ""),
    ]),
    ("quick_win", "Quick win", "Quick win", [
        ("integer", "quick_win_jumlah", "Quick win yang selesai tahun ini", "Quick wins completed this year", "", ". >= 0"),
        (LEVEL, "quick_win_manfaat", "Manfaat quick win bagi warga", "Benefit of the quick wins to citizens", "", ""),
    ]),
]
CHOICES = [
    ("level", "belum", "Belum ada", "None yet"), ("level", "rintisan", "Rintisan", "Initiated"),
    ("level", "berjalan", "Berjalan", "Running"), ("level", "matang", "Matang", "Mature"),
    ("yn", "ya", "Ya", "Yes"), ("yn", "tidak", "Tidak", "No"),
]
MESSAGES = ("Nilai tidak sesuai ketentuan", "The value is outside the allowed range")


def rows():
    survey = []
    for name, indonesian, english, questions in DIMENSIONS:
        survey.append(["begin_group", name, indonesian, english])
        for kind, qname, q_id, q_en, relevant, constraint in questions:
            messages = MESSAGES if constraint else ("", "")
            survey.append([kind, qname, q_id, q_en, "yes" if kind.startswith("select_one") else "", relevant, constraint, *messages])
        survey.append(["end_group"])
    return survey


def build(path=WORKBOOK):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(HEADER)
    for row in rows():
        sheet.append(row)
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label::Bahasa Indonesia (id)", "label::English (en)"])
    for row in CHOICES:
        choices.append(list(row))
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(["Evaluasi Mandiri Smart City", "evaluasi_smart_city", "2028.1", "Bahasa Indonesia (id)"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


if __name__ == "__main__":
    print(build())

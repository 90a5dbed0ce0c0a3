"""The demo readiness questionnaire, written as an XLSForm (Indonesian first, English labels).

``python -m kotacerdas.questionnaires.demo_form`` writes ``data/kesiapan_smart_city.xlsx`` from
the table below; the shipped workbook is that output and must import cleanly (tested).
Aspects follow the assessment of the Gerakan Menuju 100 Smart City: commitment, policy, vision,
budget, ICT infrastructure, application integration, information security, human resources.
"""

from pathlib import Path

WORKBOOK = Path(__file__).resolve().parent / "data" / "kesiapan_smart_city.xlsx"
HEADER = ["type", "name", "label::Bahasa Indonesia (id)", "label::English (en)", "hint::Bahasa Indonesia (id)", "hint::English (en)",
          "required", "relevant", "constraint", "constraint_message::Bahasa Indonesia (id)", "constraint_message::English (en)", "calculation", "weight"]
LEVEL = "select_one level"
# (aspect name, Indonesian, English, [(type, name, Indonesian, English, relevant, constraint, weight)])
ASPECTS = [
    ("komitmen", "Komitmen kepala daerah", "Commitment of the regional head", [
        (LEVEL, "komitmen_visi", "Kepala daerah menyatakan smart city dalam visi-misi", "The head of region states smart city in the vision and mission", "", "", 2),
        ("select_one yn", "komitmen_sk", "Ada SK tim smart city?", "Is there a decree forming a smart city team?", "", "", ""),
        ("date", "komitmen_sk_tanggal", "Tanggal SK", "Date of the decree", "${komitmen_sk} = 'ya'", ". <= today()", ""),
        ("integer", "komitmen_rapat", "Rapat koordinasi dipimpin kepala daerah per tahun", "Coordination meetings led by the head per year", "", ". >= 0 and . <= 365", ""),
        (LEVEL, "komitmen_forum", "Keterlibatan DPRD dan forum warga", "Involvement of the regional parliament and citizen forums", "", "", 1),
    ]),
    ("kebijakan", "Kebijakan dan regulasi", "Policy and regulation", [
        (LEVEL, "kebijakan_perda", "Perda atau Perkada tentang TIK / SPBE", "Regional regulation on ICT / e-government", "", "", 2),
        ("select_multiple regulasi", "kebijakan_jenis", "Regulasi yang sudah ada", "Regulations in place", "", "", 1),
        ("integer", "kebijakan_tahun", "Tahun regulasi terbaru", "Year of the newest regulation", "", ". >= 1990 and . <= 2030", ""),
        ("text", "kebijakan_catatan", "Catatan kebijakan", "Notes on policy", "", "", ""),
        (LEVEL, "kebijakan_spbe", "Indeks SPBE daerah", "The region's e-government index", "", "", 1),
    ]),
    ("visi", "Visi pembangunan daerah", "Regional development vision", [
        (LEVEL, "visi_rpjmd", "Smart city dalam RPJMD", "Smart city in the medium-term development plan", "", "", 2),
        ("select_one yn", "visi_masterplan", "Sudah ada masterplan smart city?", "Is there a smart city master plan?", "", "", ""),
        ("integer", "visi_masterplan_tahun", "Tahun masterplan", "Year of the master plan", "${visi_masterplan} = 'ya'", ". >= 2010 and . <= 2030", ""),
        ("select_multiple dimensi", "visi_dimensi", "Dimensi prioritas", "Priority dimensions", "", "count-selected(.) <= 3", 1),
        ("text", "visi_unggulan", "Sektor unggulan daerah", "Leading sectors of the region", "", "", ""),
    ]),
    ("anggaran", "Anggaran", "Budget", [
        ("decimal", "anggaran_apbd", "Total APBD (miliar Rp)", "Total regional budget (billion Rp)", "", ". > 0", ""),
        ("decimal", "anggaran_tik", "Anggaran TIK (miliar Rp)", "ICT budget (billion Rp)", "", ". >= 0 and . <= ${anggaran_apbd}", ""),
        ("calculate", "anggaran_persen", "", "", "", "", ""),
        ("note", "anggaran_catatan", "Porsi TIK: ${anggaran_persen}% dari APBD", "ICT share: ${anggaran_persen}% of the budget", "${anggaran_apbd} > 0", "", ""),
        (LEVEL, "anggaran_mandiri", "Kemampuan membiayai program smart city", "Ability to fund smart city programs", "", "", 2),
    ]),
    ("infrastruktur", "Infrastruktur TIK", "ICT infrastructure", [
        (LEVEL, "infra_jaringan", "Jaringan antar-OPD", "Network between agencies", "", "", 2),
        ("select_one yn", "infra_pusat_data", "Ada pusat data daerah?", "Is there a regional data centre?", "", "", ""),
        (LEVEL, "infra_pusat_data_tier", "Kualitas pusat data", "Quality of the data centre", "${infra_pusat_data} = 'ya'", "", 1),
        ("integer", "infra_titik_wifi", "Titik wifi publik", "Public wifi hotspots", "", ". >= 0", ""),
        ("decimal", "infra_cakupan", "Cakupan 4G (% desa)", "4G coverage (% of villages)", "", ". >= 0 and . <= 100", ""),
    ]),
    ("integrasi", "Integrasi aplikasi", "Application integration", [
        (LEVEL, "integrasi_interop", "Interoperabilitas data antar aplikasi", "Data interoperability between applications", "", "", 2),
        ("integer", "integrasi_jumlah", "Jumlah aplikasi layanan", "Number of service applications", "", ". >= 0", ""),
        ("select_one yn", "integrasi_satu_data", "Ikut Satu Data Indonesia?", "Part of Satu Data Indonesia?", "", "", ""),
        (LEVEL, "integrasi_command", "Command center", "Command centre", "", "", 1),
        ("text", "integrasi_contoh", "Contoh aplikasi terintegrasi", "Example of an integrated application", "", "", ""),
    ]),
    ("keamanan", "Keamanan informasi", "Information security", [
        (LEVEL, "keamanan_kebijakan", "Kebijakan keamanan informasi", "Information security policy", "", "", 2),
        ("select_one yn", "keamanan_csirt", "Ada CSIRT daerah?", "Is there a regional CSIRT?", "", "", ""),
        ("date", "keamanan_csirt_tanggal", "Tanggal pembentukan CSIRT", "Date the CSIRT was formed", "${keamanan_csirt} = 'ya'", ". <= today()", ""),
        ("integer", "keamanan_insiden", "Insiden keamanan tahun lalu", "Security incidents last year", "", ". >= 0", ""),
        (LEVEL, "keamanan_audit", "Audit keamanan berkala", "Regular security audits", "", "", 1),
    ]),
    ("sdm", "Sumber daya manusia", "Human resources", [
        ("integer", "sdm_pranata", "Jumlah pranata komputer", "Number of computer staff", "", ". >= 0", ""),
        ("integer", "sdm_bersertifikat", "Pegawai TIK bersertifikat", "Certified ICT staff", "", ". >= 0 and . <= ${sdm_pranata}", ""),
        (LEVEL, "sdm_pelatihan", "Program pelatihan TIK", "ICT training program", "", "", 2),
        ("text", "sdm_kebutuhan", "Kebutuhan pengembangan SDM", "Needs for staff development", "", "", ""),
        (LEVEL, "sdm_literasi", "Literasi digital masyarakat", "Digital literacy of citizens", "", "", 1),
    ]),
]
CHOICES = [
    ("level", "belum", "Belum ada", "None yet", 0), ("level", "rintisan", "Rintisan", "Initiated", 1),
    ("level", "berjalan", "Berjalan", "Running", 2), ("level", "matang", "Matang", "Mature", 3),
    ("yn", "ya", "Ya", "Yes", ""), ("yn", "tidak", "Tidak", "No", ""),
    ("regulasi", "perda_tik", "Perda TIK", "ICT regulation", 1), ("regulasi", "perkada_spbe", "Perkada SPBE", "E-government decree", 1),
    ("regulasi", "perkada_data", "Perkada Satu Data", "One Data decree", 1), ("regulasi", "perkada_keamanan", "Perkada keamanan informasi", "Information security decree", 1),
    ("dimensi", "governance", "Smart governance", "Smart governance", ""), ("dimensi", "branding", "Smart branding", "Smart branding", ""),
    ("dimensi", "economy", "Smart economy", "Smart economy", ""), ("dimensi", "living", "Smart living", "Smart living", ""),
    ("dimensi", "society", "Smart society", "Smart society", ""), ("dimensi", "environment", "Smart environment", "Smart environment", ""),
]
MESSAGES = ("Nilai tidak sesuai ketentuan", "The value is outside the allowed range")


def rows():
    survey = []
    for name, indonesian, english, questions in ASPECTS:
        survey.append(["begin_group", name, indonesian, english])
        for kind, qname, q_id, q_en, relevant, constraint, weight in questions:
            required = "yes" if kind.startswith("select_one") or kind == "decimal" else ""
            calculation = "round(${anggaran_tik} div ${anggaran_apbd} * 100, 2)" if kind == "calculate" else ""
            messages = MESSAGES if constraint else ("", "")
            survey.append([kind, qname, q_id, q_en, "", "", "" if kind in ("note", "calculate") else required, relevant, constraint, *messages, calculation, weight])
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
    choices.append(["list_name", "name", "label::Bahasa Indonesia (id)", "label::English (en)", "score"])
    for row in CHOICES:
        choices.append(list(row))
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(["Kuesioner Kesiapan Smart City", "kesiapan_smart_city", "2027.1", "Bahasa Indonesia (id)"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


if __name__ == "__main__":
    print(build())

"""The program's screening criteria, seeded into the catalogue (DESIGN.md, "screening").

Sources of the scales and category names (no published figures are invented here):

- Fiscal capacity: Kemenkeu's *Peta Kapasitas Fiskal Daerah* (for example PMK 120/PMK.07/2020 and
  its yearly successors such as PMK 97/2025) groups regions by their fiscal capacity ratio in five
  categories: sangat rendah, rendah, sedang, tinggi, sangat tinggi.
- EKPPD: the evaluation of local government performance (PP 13/2019 on LPPD, Permendagri
  18/2020) scores a region from 0 to 4 with the status sangat tinggi, tinggi, sedang, rendah.
- SPBE index: KemenPAN-RB's evaluation of electronic government (Perpres 95/2018, PermenPAN-RB
  59/2020) on a scale of 0 to 5.
- IPM: BPS's human development index, 0 to 100.
- Green city index (PUPR, Program Pengembangan Kota Hijau) and sustainable city index (Bappenas,
  cities only): indices on 0 to 100.
- Population and area: Dukcapil and BIG figures shipped in indicators_2024.csv (SOURCES.md).
"""

KABKOTA = ["kabupaten", "kota"]

FISCAL_CATEGORIES = ["sangat rendah", "rendah", "sedang", "tinggi", "sangat tinggi"]
EKPPD_STATUSES = ["rendah", "sedang", "tinggi", "sangat tinggi"]


def _categories(labels):
    return [{"label": label, "score": score} for score, label in enumerate(labels, start=1)]


SEEDED_INDICATORS = [
    {
        "code": "fiscal_capacity_index", "name_id": "Indeks kapasitas fiskal daerah",
        "name_en": "Regional fiscal capacity index", "unit": "index", "direction": "benefit",
        "source_agency": "Kemenkeu (DJPK)", "region_kinds": KABKOTA, "value_type": "numeric",
        "min_value": 0.0, "max_value": 100.0,
    },
    {
        "code": "fiscal_capacity_category", "name_id": "Kategori kapasitas fiskal daerah",
        "name_en": "Regional fiscal capacity category", "unit": "", "direction": "benefit",
        "source_agency": "Kemenkeu (DJPK)", "region_kinds": KABKOTA, "value_type": "categorical",
        "categories": _categories(FISCAL_CATEGORIES),
    },
    {
        "code": "ekppd_score", "name_id": "Skor kinerja penyelenggaraan pemerintahan daerah (EKPPD)",
        "name_en": "Local government performance score (EKPPD)", "unit": "0–4", "direction": "benefit",
        "source_agency": "Kemendagri", "region_kinds": KABKOTA, "value_type": "numeric",
        "min_value": 0.0, "max_value": 4.0,
    },
    {
        "code": "ekppd_status", "name_id": "Status kinerja penyelenggaraan pemerintahan daerah (EKPPD)",
        "name_en": "Local government performance status (EKPPD)", "unit": "", "direction": "benefit",
        "source_agency": "Kemendagri", "region_kinds": KABKOTA, "value_type": "categorical",
        "categories": _categories(EKPPD_STATUSES),
    },
    {
        "code": "green_city_index", "name_id": "Indeks kota hijau", "name_en": "Green city index",
        "unit": "0–100", "direction": "benefit", "source_agency": "Kementerian PUPR",
        "region_kinds": KABKOTA, "value_type": "numeric", "min_value": 0.0, "max_value": 100.0,
    },
    {
        "code": "sustainable_city_index", "name_id": "Indeks kota berkelanjutan",
        "name_en": "Sustainable city index", "unit": "0–100", "direction": "benefit",
        "source_agency": "Bappenas", "region_kinds": ["kota"], "value_type": "numeric",
        "min_value": 0.0, "max_value": 100.0,
    },
    {
        "code": "ipm", "name_id": "Indeks pembangunan manusia (IPM)", "name_en": "Human development index (IPM)",
        "unit": "0–100", "direction": "benefit", "source_agency": "BPS", "region_kinds": KABKOTA,
        "value_type": "numeric", "min_value": 0.0, "max_value": 100.0,
    },
    {
        "code": "spbe_index", "name_id": "Indeks sistem pemerintahan berbasis elektronik (SPBE)",
        "name_en": "E-government (SPBE) index", "unit": "0–5", "direction": "benefit",
        "source_agency": "KemenPAN-RB", "region_kinds": KABKOTA, "value_type": "numeric",
        "min_value": 0.0, "max_value": 5.0,
    },
    {
        "code": "population", "name_id": "Jumlah penduduk", "name_en": "Population", "unit": "people",
        "direction": "benefit", "source_agency": "Kemendagri (Dukcapil)",
        "region_kinds": ["provinsi", "kabupaten", "kota"], "value_type": "numeric", "min_value": 0.0,
    },
    {
        "code": "area_km2", "name_id": "Luas wilayah", "name_en": "Area", "unit": "km²",
        "direction": "benefit", "source_agency": "BIG (Kepmendagri)",
        "region_kinds": ["provinsi", "kabupaten", "kota"], "value_type": "numeric", "min_value": 0.0,
    },
]

"""Demo master plans for the selected regions of the demo phase: invented, flagged ``is_demo``,
drawn from a fixed seed, created once (running the demo again leaves them as they are).

Most plans are adopted, each with a program in every element and a quick win in every dimension
(so evaluation and reports have plans to work on); the second-to-last region's plan is under
review with open comments; the last region's is a draft in which one dimension lacks a quick win.
"""

import datetime
import random

from django.db import transaction

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.program.models import Participation, ParticipationStatus as Status
from kotacerdas.regions.models import Agency, AgencyKind

from . import services
from .models import MasterPlan, RpjmdPeriod

DEMO_SEED = 2027
PROGRAMS_PER_PLAN = 40
# The agency kinds every demo region gets, and which kind owns each element's programs.
OWNERS = {
    "GOV-PS": "dpmptsp", "GOV-BM": "bkpsdm", "GOV-KP": "bappeda", "BRA-PW": "disbudpar", "BRA-BS": "diskopukm",
    "BRA-WK": "disperkim", "ECO-IN": "disperindag", "ECO-KR": "dinsos", "ECO-TK": "bpkad", "LIV-TR": "dispupr",
    "LIV-KS": "dinkes", "LIV-MB": "dishub", "SOC-KM": "kesbangpol", "SOC-EB": "disdik", "SOC-KA": "satpolpp",
    "ENV-PL": "dlh", "ENV-PS": "dlh", "ENV-PE": "disperkim",
}
SUPPORT = ("diskominfo", "bappeda")
# Invented program names per element (Indonesian, as regions write them).
NAMES = {
    "GOV-PS": ["Mal Pelayanan Publik Digital", "Perizinan Daring Terpadu", "Layanan Aduan Warga 24 Jam"],
    "GOV-BM": ["E-Kinerja ASN", "Tanda Tangan Elektronik", "Arsip Digital Perangkat Daerah"],
    "GOV-KP": ["Satu Data Daerah", "Dasbor Pimpinan", "Musrenbang Elektronik"],
    "BRA-PW": ["Portal Wisata Daerah", "Festival Budaya Digital", "Peta Wisata Interaktif"],
    "BRA-BS": ["Katalog UMKM Daring", "Inkubator Bisnis Digital", "Pameran Produk Unggulan Virtual"],
    "BRA-WK": ["Penataan Taman Kota Cerdas", "Penerangan Jalan Pintar", "Revitalisasi Alun-Alun"],
    "ECO-IN": ["Klaster Industri Kreatif", "Sistem Informasi Industri Daerah", "Pelatihan Industri 4.0"],
    "ECO-KR": ["Data Terpadu Kesejahteraan Sosial", "Bantuan Sosial Non-Tunai", "Pasar Tenaga Kerja Daring"],
    "ECO-TK": ["Pajak Daerah Daring", "Pembayaran Retribusi QRIS", "Elektronifikasi Transaksi Pemda"],
    "LIV-TR": ["Sistem Informasi Tata Ruang", "Perizinan Bangunan Gedung Daring", "Peta Rawan Banjir"],
    "LIV-KS": ["Puskesmas Terhubung", "Rekam Medis Elektronik", "Ambulans Panggilan Darurat"],
    "LIV-MB": ["Angkutan Umum Terintegrasi", "Parkir Elektronik", "Lampu Lalu Lintas Adaptif"],
    "SOC-KM": ["Ruang Kreatif Komunitas", "Relawan TIK Desa", "Forum Warga Daring"],
    "SOC-EB": ["Perpustakaan Digital", "Sekolah Terhubung Internet", "Literasi Digital Warga"],
    "SOC-KA": ["CCTV Terpadu", "Panggilan Darurat 112", "Sistem Peringatan Dini Bencana"],
    "ENV-PL": ["Pemantauan Kualitas Udara", "Pemantauan Kualitas Air Sungai", "Gerakan Menanam Pohon"],
    "ENV-PS": ["Bank Sampah Digital", "Pengangkutan Sampah Terjadwal", "Tempat Olah Sampah Terpadu"],
    "ENV-PE": ["PJU Tenaga Surya", "Audit Energi Gedung Pemda", "Kendaraan Dinas Listrik"],
}
SOURCES = ("apbd", "apbd", "apbd", "apbn", "csr", "partnership", "private")


def _agencies(region):
    kinds = {k.code: k for k in AgencyKind.objects.filter(code__in={*OWNERS.values(), *SUPPORT})}
    agencies = {}
    for code, kind in kinds.items():
        agencies[code], _created = Agency.objects.get_or_create(
            region=region, name=f"{kind.name} {region.name}", defaults={"kind": kind, "short_name": kind.short_name}
        )
    return agencies


def _rows(plan, rng, agencies, *, quick_win_dimensions):
    """Program rows in the import's shape: one per element first, then random ones."""
    elements = list(plan.taxonomy.elements.select_related("dimension"))
    chosen = elements + [rng.choice(elements) for _ in range(PROGRAMS_PER_PLAN - len(elements))]
    rows, used, quick_done = [], set(), set()
    for element in chosen:
        names = [n for n in NAMES.get(element.code, [element.name]) if n not in used]
        name = rng.choice(names) if names else f"{rng.choice(NAMES.get(element.code, [element.name]))} Tahap {len(used)}"
        used.add(name)
        quick = element.dimension.code in quick_win_dimensions and element.dimension.code not in quick_done
        if quick:
            quick_done.add(element.dimension.code)
            start = end = plan.start_year
        else:
            start = rng.randint(plan.start_year, plan.end_year - 1)
            end = min(plan.end_year, start + rng.choice((0, 1, 2, 3, 4, 6)))
        budgets = [(year, rng.choice(SOURCES), rng.randint(2, 60) * 25_000_000) for year in range(start, end + 1)]
        budgets = list({(y, s): (y, s, a) for y, s, a in budgets}.values())
        baseline = rng.randint(0, 40)
        rows.append({
            "values": {
                "name": name, "description": "Program demo (contoh, bukan rencana nyata).", "element": element,
                "owner_agency": agencies[OWNERS.get(element.code, "bappeda")],
                "supporting_agencies": [agencies[rng.choice(SUPPORT)]], "start_year": start, "end_year": end,
                "quick_win": quick, "due_date": datetime.date(start, 12, 31) if quick else None,
                "visible_result": "Warga merasakan layanan baru dalam setahun." if quick else "",
            },
            "budgets": budgets,
            "kpis": {"Capaian": {"name": "Capaian layanan", "unit": "%", "baseline": baseline,
                                 "targets": {str(y): min(100, baseline + 10 * (y - start + 1)) for y in range(start, end + 1)}}},
        })
    return rows


def _mentor_for(region):
    """A mentor of the region for the demo's review comments: one mentoring assigned, else the
    demo's mentor account, assigned to this region."""
    grant = RoleGrant.objects.filter(role=Role.MENTOR, region=region).select_related("user").first()
    if grant:
        return grant.user
    grant = RoleGrant.objects.filter(role=Role.MENTOR, user__username="mentor").select_related("user").first()
    if grant is None:
        return None
    RoleGrant.objects.get_or_create(user=grant.user, role=Role.MENTOR, region=region, defaults={"institution": grant.institution})
    return grant.user


@transaction.atomic
def build_demo_masterplans(phase):
    """Plans for the demo phase's selected regions; returns the number created (0 when they exist)."""
    from kotacerdas.regions.reference import load_agency_kinds

    if not phase.is_demo:
        raise ValueError("demo master plans are made for a demo phase only")
    if not AgencyKind.objects.exists():
        load_agency_kinds()
    regions = [p.region for p in Participation.objects.filter(phase=phase, status=Status.SELECTED).select_related("region").order_by("region__code")]
    if not regions or MasterPlan.objects.filter(region__in=regions, is_demo=True).exists():
        return 0
    taxonomy = services.default_taxonomy()
    dimensions = list(taxonomy.dimensions.values_list("code", flat=True))
    start = phase.year + 1
    for index, region in enumerate(regions):
        rng = random.Random(f"{DEMO_SEED}-{region.code}")
        agencies = _agencies(region)
        RpjmdPeriod.objects.get_or_create(region=region, defaults={"start_year": start, "end_year": start + 4, "regulation": "Perda RPJMD (demo)"})
        under_review, draft = index == len(regions) - 2, index == len(regions) - 1
        plan = services.create_plan(region, start_year=start, end_year=start + 4 + rng.choice((0, 0, 1, 3)), is_demo=True, taxonomy=taxonomy)
        services.update_plan(plan, {
            "vision": f"Terwujudnya {region.name} yang cerdas, melayani dan berdaya saing (demo).",
            "missions": "Tata kelola digital yang melayani\nEkonomi daerah yang tumbuh inklusif\nLingkungan yang lestari",
            "targets": "Indeks SPBE 3,5; 80% layanan publik daring (demo).",
            "strengths": "Komitmen pimpinan daerah", "weaknesses": "SDM TIK terbatas",
            "opportunities": "Dukungan program nasional", "threats": "Keamanan siber",
            "gap_analysis": "Integrasi aplikasi antar-OPD belum berjalan (demo).",
            "integration_architecture": "Satu bus layanan untuk semua aplikasi OPD.", "network": "Jaringan intra pemerintah daerah.",
            "data_centre": "Pusat data daerah bersama.", "operation_room": "Ruang kendali di Diskominfo.",
        }, findings=[("struktur", "Dewan Smart City telah dibentuk.", rng.randint(2, 5)),
                     ("infrastruktur", "Jaringan serat optik mencakup kantor kecamatan.", rng.randint(1, 4)),
                     ("suprastruktur", "Peraturan kepala daerah tentang SPBE ada.", rng.randint(2, 5))])
        quick = set(dimensions[:-1]) if draft else set(dimensions)
        services._write_programs(plan, _rows(plan, rng, agencies, quick_win_dimensions=quick), None, None)
        if draft:
            continue
        services.submit(plan)
        if under_review:
            mentor = _mentor_for(region)
            if mentor is not None:
                first = plan.programs.order_by("name").first()
                services.add_comment(plan, author=mentor, body="Target KPI tahun pertama perlu dirinci (demo).", section="programs", program=first)
                services.add_comment(plan, author=mentor, body="Tambahkan rencana ruang kendali (demo).", section="infrastructure")
            continue
        services.forward(plan)
        services.approve(plan)
        services.adopt(plan, regulation_kind="perbup" if region.kind == "kabupaten" else "perwali",
                       regulation_number=f"{rng.randint(1, 60)}/{start} (demo)", regulation_date=datetime.date(start, 1, 15))
    return len(regions)


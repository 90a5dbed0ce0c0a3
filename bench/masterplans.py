"""Master plans: importing 10,000 programs from XLSX against openpyxl's own read of the same file,
and rendering a 200-program plan as PDF.

    .venv/bin/python bench/masterplans.py [--database sqlite|postgres|both] [--repeats 3]

Per database (a temporary SQLite file; a temporary PostgreSQL database on 127.0.0.1:5432, user
postgres, dropped at the end), in a subprocess with the platform's settings from the environment:
migrate, load the reference data, create a draft plan for 63.03 with its agencies, then write a
workbook in the import's shape (sheets programs, budgets, kpis) of 10,000 programs over the 18
elements, each with a budget line per year (1–3 years) and one KPI with a target per year. Timed
(median of ``--repeats``):

- openpyxl: ``load_workbook(read_only=True)`` and every row of the three sheets, values only;
- platform: ``kotacerdas.masterplans.services.import_programs``, the service behind the import
  page and the API: read the file through lib/tabular, check every cell against the plan, write
  the programs with their budgets, KPIs and history rows into an empty draft in one transaction;
- re-import: the same service on the filled draft with a revised workbook (every tenth program's
  description and KPI target changed; every program matched and changed in place or kept);
- PDF: ``kotacerdas.masterplans.documents.plan_pdf`` of a 200-program plan (typst, with the
  coverage matrix, the budget chart and the roadmap).

Target: platform <= 3 x openpyxl's read.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _platform as bench  # noqa: E402

PROGRAMS = 10_000
PDF_PROGRAMS = 200
TARGET = 3.0


def workbook(plan, programs, agencies, revised=False):
    """The workbook; ``revised`` changes the description and KPI target of every tenth program
    (the same programs otherwise, as a region re-imports its edited export)."""
    from openpyxl import Workbook

    from kotacerdas.masterplans.services import BUDGET_COLUMNS, KPI_COLUMNS, PROGRAM_COLUMNS

    rng = random.Random(19)
    elements = list(plan.taxonomy.elements.values_list("code", flat=True))
    book = Workbook(write_only=True)
    sheets = [book.create_sheet(name) for name in ("programs", "budgets", "kpis")]
    for sheet, header in zip(sheets, (PROGRAM_COLUMNS, BUDGET_COLUMNS, KPI_COLUMNS)):
        sheet.append(list(header))
    for number in range(1, programs + 1):
        ref = f"P{number}"
        start = rng.randint(plan.start_year, plan.end_year - 2)
        end = start + rng.randint(0, 2)
        quick = number % 50 == 0
        revise = revised and number % 10 == 0
        sheets[0].append([ref, f"Program {number}", "Program uji beban" + (" (revisi)" if revise else ""), rng.choice(elements), rng.choice(agencies),
                          rng.choice(agencies), start, end if not quick else start, "ya" if quick else "tidak",
                          f"{start}-12-31" if quick else "", "Hasil terlihat" if quick else ""])
        for year in range(start, (start if quick else end) + 1):
            sheets[1].append([ref, year, rng.choice(("apbd", "apbn", "csr")), rng.randint(1, 100) * 10_000_000])
        sheets[2].append([ref, "Capaian", "%", 10, start, 60 if revise else 50])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def openpyxl_read(data):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = 0
    for name in ("programs", "budgets", "kpis"):
        for _row in book[name].iter_rows(values_only=True):
            rows += 1
    book.close()
    return rows


def worker(database, repeats):
    bench.setup_django()
    from kotacerdas.masterplans.documents import plan_pdf
    from kotacerdas.masterplans.services import _delete_programs, create_plan, import_programs
    from kotacerdas.regions.models import Agency, AgencyKind, Region
    from kotacerdas.regions.reference import load_agency_kinds

    load_agency_kinds()
    region = Region.objects.get(code="63.03")
    names = []
    for kind in AgencyKind.objects.all()[:12]:
        names.append(Agency.objects.get_or_create(region=region, name=f"{kind.name} {region.name}", defaults={"kind": kind})[0].name)
    plan = create_plan(region, start_year=2026, end_year=2035)
    data = workbook(plan, PROGRAMS, names)
    bench.log(f"  workbook of {PROGRAMS:,} programs: {len(data) / 2**20:.1f} MiB")
    reads, imports = [], []
    for attempt in range(repeats):
        started = time.perf_counter()
        rows = openpyxl_read(data)
        reads.append(time.perf_counter() - started)
        # Each run imports into an empty draft (a re-import of the same file matches every
        # program and writes nothing: timed apart below).
        _delete_programs(plan.programs.all(), None)
        upload = io.BytesIO(data)
        upload.name = "programs.xlsx"
        started = time.perf_counter()
        count = import_programs(plan, upload).imported
        imports.append(time.perf_counter() - started)
        assert count == PROGRAMS == plan.programs.count(), (count, plan.programs.count())
        bench.log(f"  run {attempt + 1}: openpyxl read {reads[-1]:.2f} s ({rows:,} rows), platform import {imports[-1]:.2f} s")
    revised = workbook(plan, PROGRAMS, names, revised=True)
    reimports = []
    for attempt in range(repeats):
        upload = io.BytesIO(revised if attempt % 2 == 0 else data)
        upload.name = "programs.xlsx"
        started = time.perf_counter()
        result = import_programs(plan, upload)
        reimports.append(time.perf_counter() - started)
        assert (result.changed, result.unchanged, result.added, result.removed) == (PROGRAMS // 10, PROGRAMS - PROGRAMS // 10, 0, 0), result
        bench.log(f"  re-import {attempt + 1}: {result.changed:,} programs changed in place, {reimports[-1]:.2f} s")
    small = create_plan(Region.objects.get(code="63.04"), start_year=2026, end_year=2035)
    agencies = [Agency.objects.get_or_create(region=small.region, name=f"{kind.name} {small.region.name}", defaults={"kind": kind})[0].name
                for kind in AgencyKind.objects.all()[:12]]
    upload = io.BytesIO(workbook(small, PDF_PROGRAMS, agencies))
    upload.name = "programs.xlsx"
    import_programs(small, upload)
    pdfs = []
    for _attempt in range(repeats):
        started = time.perf_counter()
        pdf = plan_pdf(small)
        pdfs.append(time.perf_counter() - started)
    bench.log(f"  PDF of {PDF_PROGRAMS} programs: {len(pdf) / 1024:.0f} KiB")
    bench.report({"read": bench.median(reads), "import": bench.median(imports), "reimport": bench.median(reimports), "pdf": bench.median(pdfs), "pdf_bytes": len(pdf)})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bench.add_database_flag(parser)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.repeats)
    results = bench.run_workers(Path(__file__).resolve(), args.database, ["--repeats", str(args.repeats)])
    print(f"Master plans: importing {PROGRAMS:,} programs from XLSX; a {PDF_PROGRAMS}-program plan as PDF; median of {args.repeats} runs")
    rows = []
    for database, result in results.items():
        rows += [(f"{database}: openpyxl read of the workbook (3 sheets, values only)", result["read"]),
                 (f"{database}: platform import_programs into an empty draft (read, check, write, history)", result["import"]),
                 (f"{database}: re-import, every program matched, 10% changed in place", result["reimport"]),
                 (f"{database}: plan PDF, {PDF_PROGRAMS} programs (typst)", result["pdf"])]
    print()
    bench.print_table(rows, ("measurement", "median s"))
    print("\ntarget                                     ratio     goal    result")
    for database, result in results.items():
        ratio = result["import"] / result["read"]
        print(f"{database + ': import / openpyxl read':40s} {ratio:8.2f}  {'<= ' + format(TARGET, 'g'):>7s}    "
              f"{'PASS' if ratio <= TARGET else 'MISS'}")


if __name__ == "__main__":
    main()

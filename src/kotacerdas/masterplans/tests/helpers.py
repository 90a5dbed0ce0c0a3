"""Plans, agencies and grants for the master plan tests (one place, not copied per file)."""

import datetime

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.regions.models import Agency, AgencyKind, Region

AGENCY_KINDS = ("bappeda", "diskominfo", "dinkes", "dlh", "dishub", "disbudpar")


def agencies_of(region_code="63.03"):
    """The region's agencies of a few kinds, by kind code (created once)."""
    from kotacerdas.regions.reference import load_agency_kinds

    if not AgencyKind.objects.exists():
        load_agency_kinds()
    region = Region.objects.get(code=region_code)
    out = {}
    for kind in AgencyKind.objects.filter(code__in=AGENCY_KINDS):
        out[kind.code], _created = Agency.objects.get_or_create(
            region=region, name=f"{kind.name} {region.name}", defaults={"kind": kind, "short_name": kind.short_name}
        )
    return out


def element(code):
    from kotacerdas.masterplans.models import Element
    from kotacerdas.masterplans.services import default_taxonomy

    return Element.objects.get(taxonomy=default_taxonomy(), code=code)


def make_plan(region_code="63.03", start_year=2026, end_year=2030, **kwargs):
    from kotacerdas.masterplans.services import create_plan

    return create_plan(Region.objects.get(code=region_code), start_year=start_year, end_year=end_year, **kwargs)


def add_program(plan, name="Mal pelayanan publik digital", element_code="GOV-PS", agency="diskominfo", start_year=None,
                end_year=None, quick_win=False, budgets=None, user=None, **extra):
    from kotacerdas.masterplans.services import save_program

    agencies = agencies_of(plan.region.code)
    start = start_year or plan.start_year
    values = {
        "name": name, "description": extra.pop("description", ""), "element": element(element_code),
        "owner_agency": agencies[agency], "start_year": start, "end_year": end_year or start, "quick_win": quick_win,
        "due_date": datetime.date(start, 12, 31) if quick_win else None,
        "visible_result": "Warga mengurus izin dalam satu hari" if quick_win else "",
        **extra,
    }
    return save_program(plan, values, user=user, budgets=budgets if budgets is not None else [(start, "apbd", 100_000_000)], kpis=[])


def make_mentor(user, region_code="63.03"):
    """Make ``user`` (a mentor) a mentor of the region, as mentoring assigns mentors."""
    RoleGrant.objects.get_or_create(user=user, role=Role.MENTOR, region=Region.objects.get(code=region_code))
    return user


def adopted_plan(region_code="63.03"):
    """A plan taken through the whole workflow, adopted."""
    from kotacerdas.masterplans import services

    plan = make_plan(region_code)
    add_program(plan, quick_win=True)
    add_program(plan, name="Bank sampah digital", element_code="ENV-PS", agency="dlh", start_year=2026, end_year=2028)
    services.submit(plan)
    services.forward(plan)
    services.approve(plan)
    return services.adopt(plan, regulation_kind="perbup", regulation_number="12/2026", regulation_date=datetime.date(2026, 3, 1))


def matrix_ids():
    """Ids the role matrix asks about: Banjar's adopted plan (public) and a draft of Barito Kuala's
    (seen only by the ministry and that region's operator)."""
    from kotacerdas.masterplans import services

    adopted = adopted_plan("63.03")
    draft = services.new_version(adopted)
    other = make_plan("63.04")
    program = add_program(draft, name="Aplikasi perizinan", element_code="GOV-BM")
    from django.core.files.uploadedfile import SimpleUploadedFile

    reported = adopted.programs.order_by("pk").first()
    services.record_progress(reported, 2026, status="running", evidence=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti"))
    return {"mp_adopted": adopted.pk, "mp_draft": draft.pk, "mp_other": other.pk, "mp_program": program.pk,
            "mp_adopted_program": adopted.programs.order_by("pk").first().pk}

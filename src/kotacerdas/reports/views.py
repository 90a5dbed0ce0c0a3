"""Public pages: the home page with the national map, each region's page (its story across the
stages) and the data sources."""

import re
import xml.etree.ElementTree as etree
from pathlib import Path

import markdown

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.safestring import mark_safe
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from kotacerdas.accounts.permissions import permission
from kotacerdas.mentoring.services import institutions_of
from kotacerdas.program.models import Participation
from kotacerdas.program.services import is_loaded_change, selected_phase_by_region
from kotacerdas.regions.models import Kind, Region, RegionShape
from kotacerdas.regions.services import map_view_box

from . import map as national_map

SOURCES_MD = Path(__file__).resolve().parent.parent / "data" / "SOURCES.md"


@permission("view_public")
def home(request):
    """The national dashboard: the map (by cohort, or by an indicator), each phase's funnel and the
    cohorts over the years."""
    from . import dashboard

    include_demo = request.GET.get("demo") == "1"
    digest = national_map.fingerprint()
    result = national_map.home_map(include_demo, digest)
    figures = dashboard.cached_figures(include_demo, digest)
    choices = figures["indicator_choices"]
    indicator_map = None
    wanted = request.GET.get("indicator")
    evaluation = figures["evaluation"]
    show_index = wanted == "evaluation-index" and evaluation is not None
    if wanted and not show_index:
        for indicator, years in choices:
            if indicator.code == wanted:
                year = request.GET.get("year", "")
                year = int(year) if year.isdigit() and int(year) in years else years[0]
                indicator_map = dashboard.indicator_map(indicator, year)
                break
    return render(
        request,
        "reports/home.html",
        {
            "map": result,
            "map_svg": mark_safe(result["svg"]),
            "indicator_map": indicator_map,
            "indicator_choices": choices,
            "include_demo": include_demo,
            "demo_phases": figures["demo_phases"],
            "shows_demo": include_demo and any(item["is_demo"] and item["count"] for item in result["legend"]),
            "funnels": figures["funnels"],
            "cohorts_chart": figures["cohorts_chart"],
            "evaluation": evaluation,
            "show_index": show_index,
            "implementation": figures["implementation"],
        },
    )


@permission("view_public")
def region_detail(request, code):
    """A region's page: its registry facts and outline, its kabupaten/kota for a province, and its
    participation in every phase with the history of each."""
    region = get_object_or_404(Region.objects.select_related("province", "parent"), code=code)
    shape = RegionShape.objects.filter(region=region).first()
    province = region.province if region.province_id and region.province_id != region.pk else None
    province_shape = None
    if province is not None and shape is not None:
        # The province's coarse map outline drawn faintly behind, for context only (a few KB).
        province_shape = RegionShape.objects.filter(region=province).only("map_path").first()

    members = []
    if region.kind == Kind.PROVINSI:
        children = list(Region.objects.filter(parent=region).order_by("code"))
        selected = selected_phase_by_region([child.pk for child in children])
        members = [(child, selected.get(child.pk)) for child in children]

    from .facts import mou_events

    events = mou_events()
    participations = []
    for participation in (
        Participation.objects.filter(region=region).select_related("phase").order_by("phase__year")
    ):
        changes = list(participation.history.select_related("history_user").order_by("history_date", "history_id"))
        for change in changes:
            # A selection loaded from the published list: its date is the event's, its author the list.
            change.loaded = is_loaded_change(change)
        # The published MoU event of a real phase is a fact for every region selected in it.
        event = None
        if participation.status == "selected" and not participation.phase.is_demo:
            event = events.get(participation.phase.year)
        participations.append((participation, changes, event))

    # The region's Dewan Smart City and Tim Pelaksana: names and positions from public decrees.
    institutions = institutions_of(region) if region.is_kabkota else None
    if institutions and not (institutions["council"] or institutions["team"]):
        institutions = None

    story = {}
    if region.is_kabkota:
        from . import profile

        story = profile.story(region, request.user, events)

    return render(
        request,
        "reports/region_detail.html",
        {
            "region": region,
            "institutions": institutions,
            "shape": shape,
            "view_box": map_view_box(shape),
            "province": province,
            "province_shape": province_shape,
            "members": members,
            "participations": participations,
            "has_demo": any(participation.phase.is_demo for participation, _changes, _event in participations),
            **story,
        },
    )


# --- SOURCES.md as HTML: Python-Markdown with raw HTML switched off (it is shown as text) ---------

_NOTICE = re.compile(r"Permission is hereby granted.*?OTHER DEALINGS IN THE SOFTWARE\.", re.DOTALL)
_REPOSITORY = re.compile(r"\b[\w.-]+/[\w.-]+(?=\*\*)")
_COPYRIGHT = re.compile(r"Copyright \(c\) [0-9][0-9\-–]*[0-9] [A-Z][\w .]*?(?=[.\",]|$)")
_BARE_URL = r"(https?://[^\s<>()]+[^\s<>().,;:])"


class _BareLink(InlineProcessor):
    """A bare address becomes a link (SOURCES.md names its origins by address)."""

    def handleMatch(self, match, data):
        link = etree.Element("a", {"href": match.group(1), "rel": "nofollow"})
        link.text = AtomicString(match.group(1))
        return link, match.start(0), match.end(0)


class _PageLevels(Treeprocessor):
    """Headings shifted below the page's own title; tables styled as the site's data tables."""

    def __init__(self, md, heading_offset):
        super().__init__(md)
        self.heading_offset = heading_offset

    def run(self, root):
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                element.tag = f"h{min(6, int(element.tag[1]) + self.heading_offset)}"
            elif element.tag == "table":
                element.set("class", "data")


class _SourcesMarkdown(Extension):
    def __init__(self, heading_offset):
        super().__init__()
        self.heading_offset = heading_offset

    def extendMarkdown(self, md):
        # Raw HTML is escaped like any text: the file is data, not markup to trust.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_BareLink(_BARE_URL, md), "bare_link", 115)
        md.treeprocessors.register(_PageLevels(md, self.heading_offset), "page_levels", 1)


def markdown_to_html(text, heading_offset=1):
    """SOURCES.md (or any Markdown) as safe HTML: headings one level down, tables, nested lists
    indented by two spaces, bare links; raw HTML shown as text."""
    converter = markdown.Markdown(extensions=["tables", _SourcesMarkdown(heading_offset)], tab_length=2)
    return mark_safe(converter.convert(text))


def licence_notices(text):
    """The MIT notices SOURCES.md quotes: each copyright line with the permission notice."""
    notice = _NOTICE.search(text)
    if not notice:
        return []
    notices, seen = [], set()
    for match in _COPYRIGHT.finditer(text):
        if match.group(0) in seen:
            continue
        seen.add(match.group(0))
        # The work a notice belongs to: the repository named last before its first quotation.
        works = _REPOSITORY.findall(text[: match.start()])
        notices.append({"copyright": match.group(0), "notice": notice.group(0), "work": works[-1] if works else ""})
    return notices


@permission("view_public")
def data_sources(request):
    text = SOURCES_MD.read_text(encoding="utf-8")
    return render(
        request,
        "reports/data_sources.html",
        {"sources_html": markdown_to_html(text), "notices": licence_notices(text)},
    )


# --- open data (reports/opendata.py) ---


@permission("view_public")
def open_data_index(request):
    from . import opendata

    return render(request, "reports/open_data.html", {"resources": opendata.RESOURCES, "formats": opendata.FORMATS})


def _conditional(request, body, content_type, changed):
    """The answer with ``ETag``/``Last-Modified``, or 304 when the client has it already."""
    from django.http import HttpResponse
    from django.utils.cache import get_conditional_response
    from django.utils.http import http_date

    from . import opendata

    tag = opendata.etag(body)
    last_modified = int(changed.timestamp()) if changed else None
    not_modified = get_conditional_response(request, etag=tag, last_modified=last_modified)
    response = not_modified or HttpResponse(body, content_type=content_type)
    response["ETag"] = tag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@permission("view_public")
def open_data_package(request):
    import json

    from . import opendata

    body = json.dumps(opendata.package_descriptor(), ensure_ascii=False, indent=2).encode("utf-8")
    changed = max((c for c in (r.changed() for r in opendata.RESOURCES) if c), default=None)
    return _conditional(request, body, "application/json", changed)


@permission("view_public")
def open_data_resource(request, name, file_format):
    from django.http import Http404

    from . import opendata

    resource = opendata.BY_NAME.get(name)
    if resource is None or file_format not in opendata.FORMATS:
        raise Http404(_("No open data table is published under this name."))
    body, content_type = opendata.render(resource, file_format)
    response = _conditional(request, body, content_type, resource.changed())
    if file_format != "json":
        response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


# --- audit dossiers -----------------------------------------------------------------------------


def _dossier(request, code, year):
    from kotacerdas.accounts.permissions import has_permission
    from kotacerdas.program.services import phase_or_404

    from . import dossier

    region = get_object_or_404(Region.objects.select_related("province"), code=code)
    phase = phase_or_404(year)
    # The full dossier (names of assessors and of the authors of changes, signatories, evidence
    # file names) is the ministry's; everyone else reads the public version.
    return dossier.build(region, phase, full=has_permission(request.user, "view_personal_data"))


@permission("view_public")
def dossier_page(request, code, year):
    """A region's audit dossier for one phase, as HTML."""
    return render(request, "reports/dossier.html", {"dossier": _dossier(request, code, year)})


@permission("view_public")
def dossier_pdf(request, code, year):
    """The same dossier as PDF (typst)."""
    from django.http import HttpResponse

    from . import dossier

    built = _dossier(request, code, year)
    response = HttpResponse(dossier.pdf(built), content_type="application/pdf")
    version = "full" if built["full"] else "public"
    response["Content-Disposition"] = f'attachment; filename="dossier-{year}-{code}-{version}.pdf"'
    return response


def _round_dossier(request, code, year, stage):
    """The dossier of a region in an evaluation round: an unpublished round is the ministry's
    (404 for everyone else, as if it did not exist)."""
    from django.http import Http404

    from kotacerdas.accounts.permissions import has_permission
    from kotacerdas.evaluation.models import EvaluationRound

    from . import dossier

    region = get_object_or_404(Region.objects.select_related("province"), code=code)
    evaluation = get_object_or_404(EvaluationRound.objects.select_related("round", "weight_set"), round__year=year, round__stage=stage)
    full = has_permission(request.user, "view_personal_data")
    if not evaluation.is_published and not full:
        raise Http404(_("This evaluation round is not published."))
    return dossier.build_round(region, evaluation, full=full)


@permission("view_public")
def round_dossier_page(request, code, year, stage):
    """A region's audit dossier for one evaluation round, as HTML."""
    from . import dossier

    built = _round_dossier(request, code, year, stage)
    rows = dossier.result_rows(built["result"]) if built["result"] else []
    return render(request, "reports/round_dossier.html", {"dossier": built, "result_rows": rows})


@permission("view_public")
def round_dossier_pdf(request, code, year, stage):
    """The same dossier as PDF (typst)."""
    from django.http import HttpResponse

    from . import dossier

    built = _round_dossier(request, code, year, stage)
    response = HttpResponse(dossier.pdf(built), content_type="application/pdf")
    version = "full" if built["full"] else "public"
    response["Content-Disposition"] = f'attachment; filename="dossier-evaluation-{year}-{stage}-{code}-{version}.pdf"'
    return response


@permission("view_personal_data")
def phase_dossiers(request, year):
    """The ministry asks for the dossiers of a whole phase: made on a worker, then one archive."""
    from django.shortcuts import redirect

    from kotacerdas.lib.jobs.services import enqueue
    from kotacerdas.program.services import phase_or_404

    from .tasks import phase_dossiers as make_dossiers

    phase = phase_or_404(year)
    if request.method == "POST":
        full = request.POST.get("version") != "public"
        progress = enqueue(make_dossiers, year, full, user=request.user,
                           label=_("Audit dossiers of %(phase)s") % {"phase": phase.name})
        return redirect("task-progress", task_id=progress.task_id)
    return render(request, "reports/phase_dossiers.html", {"phase": phase})

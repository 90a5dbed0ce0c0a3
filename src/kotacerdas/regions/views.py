"""Pages of the registry that people edit: a region's agencies (OPD), kept by its operator, and
the ministry's import of agency lists for many regions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kotacerdas.accounts.permissions import permission, scope
from kotacerdas.lib.tabular import TableError

from . import agencies
from .models import Agency, AgencyKind, Region


# --- agencies (OPD) -------------------------------------------------------------------------------


@permission("manage_agencies")
def agency_list(request, code):
    """A region's agencies: its operator adds, renames and removes them; the ministry too."""
    region = get_object_or_404(scope(Region.objects.all(), request.user, "manage_agencies"), code=code)
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                agency = get_object_or_404(Agency, region=region, pk=request.POST.get("delete"))
                agencies.delete_agency(agency, user=request.user)
            elif "defaults" in request.POST:
                agencies.adopt_default_agencies(region, user=request.user)
            else:
                agency = None
                if request.POST.get("agency"):
                    agency = get_object_or_404(Agency, region=region, pk=request.POST["agency"])
                agencies.save_agency(
                    region, name=request.POST.get("name", ""), short_name=request.POST.get("short_name", ""),
                    kind=request.POST.get("kind", "") or None, agency=agency, user=request.user,
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The list of agencies is saved."))
            return redirect("regions:agencies", code=region.code)
    return render(
        request,
        "regions/agencies.html",
        {
            "region": region,
            "agencies": region.agencies.select_related("kind"),
            "kinds": AgencyKind.objects.all(),
        },
    )


@permission("import_agencies")
def agency_import(request):
    """The ministry imports agency lists of many regions from XLSX or CSV (one transaction)."""
    errors = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Choose a file to import.")]
        else:
            try:
                created, updated = agencies.import_agencies(upload, name=upload.name, user=request.user)
            except TableError as exc:
                errors = [str(error) for error in exc.errors]
            else:
                messages.success(
                    request, _("%(created)s agencies added, %(updated)s changed.") % {"created": created, "updated": updated}
                )
                return redirect("regions:agency-import")
    return render(request, "regions/agency_import.html", {"errors": errors})

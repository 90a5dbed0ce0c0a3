"""Forms of the master plan pages; the rules live in services (check_program), which the forms
call so a page and the API refuse the same things with the same words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.regions.models import Agency

from .models import ProgressStatus, BudgetSource, Element, MasterPlan, Program, ReadinessArea, RegulationKind, Section


class NewPlanForm(forms.Form):
    start_year = forms.IntegerField(label=_("start year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("end year"), min_value=2000, max_value=2100)


class PlanForm(forms.ModelForm):
    rpjmd_start_year = forms.IntegerField(label=_("RPJMD start year"), min_value=2000, max_value=2100, required=False)
    rpjmd_end_year = forms.IntegerField(label=_("RPJMD end year"), min_value=2000, max_value=2100, required=False)

    class Meta:
        model = MasterPlan
        fields = ["title", "start_year", "end_year", "vision", "missions", "targets", "strengths", "weaknesses",
                  "opportunities", "threats", "gap_analysis", "integration_architecture", "network", "data_centre",
                  "operation_room"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in fields[3:]}


class FindingForm(forms.Form):
    area = forms.ChoiceField(label=_("area"), choices=ReadinessArea.choices)
    finding = forms.CharField(label=_("finding"), widget=forms.Textarea(attrs={"rows": 2}))
    rating = forms.IntegerField(label=_("rating (1–5)"), min_value=1, max_value=5)


FindingFormSet = forms.formset_factory(FindingForm, extra=2, can_delete=True)


class ProgramForm(forms.ModelForm):
    """The program's own fields, plus budget lines and KPIs written one per line:
    ``year;source;amount`` and ``name;unit;baseline;year=target,year=target``."""

    budget_lines = forms.CharField(
        label=_("budget (one line each: year;source;amount)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sources: %s") % ", ".join(BudgetSource.values),
    )
    kpi_lines = forms.CharField(
        label=_("KPIs (one line each: name;unit;baseline;year=target,year=target)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Program
        fields = ["name", "description", "element", "owner_agency", "supporting_agencies", "start_year", "end_year",
                  "quick_win", "due_date", "visible_result"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "visible_result": forms.Textarea(attrs={"rows": 2}),
                   "due_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, plan, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["element"].queryset = Element.objects.filter(taxonomy=plan.taxonomy).select_related("dimension")
        region_agencies = Agency.objects.filter(region=plan.region)
        self.fields["owner_agency"].queryset = region_agencies if agencies is None else region_agencies.filter(pk__in=agencies)
        self.fields["supporting_agencies"].queryset = region_agencies
        self.fields["supporting_agencies"].required = False
        if self.instance.pk:
            self.initial["budget_lines"] = "\n".join(f"{b.year};{b.source};{b.amount}" for b in self.instance.budgets.all())
            self.initial["kpi_lines"] = "\n".join(
                f"{k.name};{k.unit};{'' if k.baseline is None else k.baseline};" + ",".join(f"{y}={v}" for y, v in sorted(k.targets.items()))
                for k in self.instance.kpis.all()
            )

    def _post_clean(self):
        # The model's own validation runs in services.save_program (with the plan's rules).
        pass

    def clean_budget_lines(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["budget_lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            try:
                year, source, amount = parts
                rows.append((int(year), source, int(amount.replace(".", "").replace(",", ""))))
            except ValueError:
                raise forms.ValidationError(_("Line %(line)s: write year;source;amount, e.g. 2026;apbd;150000000") % {"line": number})
        return rows

    def clean_kpi_lines(self):
        from decimal import Decimal, InvalidOperation

        kpis = []
        for number, line in enumerate(self.cleaned_data["kpi_lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")] + ["", ""]
            try:
                targets = {}
                for pair in filter(None, (p.strip() for p in parts[3].split(","))):
                    year, value = pair.split("=")
                    targets[str(int(year))] = float(value)
                baseline = Decimal(parts[2]) if parts[2] else None
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(_("Line %(line)s: write name;unit;baseline;2026=10,2027=20") % {"line": number})
            kpis.append({"name": parts[0], "unit": parts[1], "baseline": baseline, "targets": targets})
        return kpis

    def values(self):
        data = dict(self.cleaned_data)
        data["supporting_agencies"] = list(data.get("supporting_agencies") or [])
        return data


class CommentForm(forms.Form):
    section = forms.ChoiceField(label=_("section"), choices=Section.choices, required=False)
    program = forms.IntegerField(required=False, widget=forms.HiddenInput)
    thread = forms.IntegerField(required=False, widget=forms.HiddenInput)
    body = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}))


class AdoptForm(forms.Form):
    regulation_kind = forms.ChoiceField(label=_("regulation kind"), choices=RegulationKind.choices)
    regulation_number = forms.CharField(label=_("regulation number"), max_length=120)
    regulation_date = forms.DateField(label=_("regulation date"), widget=forms.DateInput(attrs={"type": "date"}))
    signed_file = forms.FileField(label=_("signed regulation"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("workbook (.xlsx)"))


class LibraryForm(forms.Form):
    q = forms.CharField(label=_("text"), required=False)
    dimension = forms.CharField(label=_("dimension"), required=False)
    element = forms.CharField(label=_("element"), required=False)
    agency_kind = forms.CharField(label=_("agency kind"), required=False)
    horizon = forms.CharField(label=_("horizon"), required=False)


class ProgressForm(forms.Form):
    """One program's progress for a year (the rules: services.record_progress)."""

    program = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("status"), choices=ProgressStatus.choices)
    realisation = forms.DecimalField(label=_("realisation (%)"), min_value=0, max_value=100, decimal_places=1, required=False)
    budget_spent = forms.IntegerField(label=_("budget spent (rupiah)"), min_value=0, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("evidence"), required=False)

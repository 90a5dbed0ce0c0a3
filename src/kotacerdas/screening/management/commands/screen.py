"""``kotacerdas screen``: run a screening of a phase and print its shortlist.

Example: ``kotacerdas screen --phase 2027 --method saw --weights ipm=2,spbe_index=1 --shortlist 80``."""

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.program.models import Phase
from kotacerdas.screening.services import invitation
from kotacerdas.screening.services import runs


class Command(BaseCommand):
    help = "Screen and rank the regions of a phase; print the shortlist."

    def add_arguments(self, parser):
        parser.add_argument("--phase", type=int, required=True, help="The phase's year.")
        parser.add_argument("--weights", required=True, help="code=weight,... (the criteria, in order)")
        parser.add_argument("--method", default="saw", choices=runs.METHODS)
        parser.add_argument("--normalization", default=None)
        parser.add_argument("--shortlist", type=int, default=None, help="Shortlist size (default: the phase's invitations).")
        parser.add_argument("--data-year", type=int, default=None, help="Latest year of values to use (default: the phase's year - 1).")
        parser.add_argument("--min-per-province", type=int, default=0)
        parser.add_argument("--min-per-island-group", type=int, default=0)
        parser.add_argument("--max-per-province", type=int, default=0)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--samples", type=int, default=runs.DEFAULT_SAMPLES)
        parser.add_argument("--label", default="")
        parser.add_argument("--confirm", action="store_true", help="Confirm the run and invite its shortlist.")

    def handle(self, *args, **o):
        phase = Phase.objects.filter(year=o["phase"]).first()
        if phase is None:
            raise CommandError(f"There is no phase in {o['phase']}.")
        criteria, weights = [], []
        try:
            for part in o["weights"].split(","):
                code, _sep, weight = part.partition("=")
                criteria.append(code.strip())
                weights.append(float(weight) if weight else 1.0)
        except ValueError:
            raise CommandError("--weights must look like code=weight,code=weight") from None
        try:
            run = runs.run_screening(
                phase, criteria=criteria, weights=weights, method=o["method"], normalization=o["normalization"],
                shortlist_size=o["shortlist"], data_year=o["data_year"] or phase.year - 1, seed=o["seed"],
                samples=o["samples"], label=o["label"],
                spread={"min_per_province": o["min_per_province"], "min_per_island_group": o["min_per_island_group"],
                        "max_per_province": o["max_per_province"]},
            )
            if o["confirm"]:
                invitation.confirm_run(run)
        except runs.ScreeningError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        notice = invitation.synthetic_notice(run)
        if notice:
            self.stdout.write(notice)
        self.stdout.write(f"run {run.pk}: {run.eligible_count} ranked, {run.excluded_count} excluded, seed {run.seed}")
        for rank, code, name, _kind, _province, score, probability, stability, why in invitation.invitation_rows(run):
            self.stdout.write(f"{rank:>4} {code:<8} {name:<40} {score:.6f} p={probability:.3f} {stability} ({why})")

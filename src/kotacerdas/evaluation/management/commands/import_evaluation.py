"""``kotacerdas import_evaluation PATH --year Y --stage S [--weights VERSION]``: import the
published results of an evaluation round from a CSV or XLSX file.

Prints, per region, its code, the recomputed index and the published one (numbers with a decimal
point, whatever the language), flagging differences over 0.01. Exits non-zero, writing nothing,
with the row and column of every error.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kotacerdas.evaluation.services import import_results
from kotacerdas.lib.tabular import TableError


class Command(BaseCommand):
    help = "Import published evaluation results (region_code, baseline, output, outcome, impact, quick_win[, published_index, national_rank, province_rank])."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--stage", type=int, required=True, choices=(1, 2))
        parser.add_argument("--weights", help="Weight set version for a round created by this import (default: the default set).")

    def handle(self, *args, path, year, stage, weights, **options):
        try:
            report = import_results(path, year=year, stage=stage, weights=weights)
        except TableError as exc:
            raise CommandError("\n".join([exc.source] + [str(error) for error in exc.errors])) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        evaluation = report.round
        self.stdout.write(f"round {evaluation.year} stage {evaluation.stage} ({'created' if report.created else 'existing'}), "
                          f"weights {evaluation.weight_set.version}")
        self.stdout.write(f"{'region_code':<12} {'recomputed':>10} {'published':>10}")
        for row in report.rows:
            published = "-" if row.published is None else f"{row.published:.2f}"
            flag = "  DIFFERS" if row.flagged else ""
            self.stdout.write(f"{row.code:<12} {row.recomputed:>10.2f} {published:>10}{flag}")
        self.stdout.write(self.style.SUCCESS(
            f"imported {len(report.rows)} results; {len(report.flagged)} published indices differ by more than 0.01"
        ))

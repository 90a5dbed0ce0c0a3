"""Importing published results of earlier years (page and CLI share ``import_results``)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.evaluation import services
from kotacerdas.evaluation.models import EvaluationRound, Result
from kotacerdas.lib.tabular import TableError
from kotacerdas.lib.testing import xlsx_upload

from .helpers import BALIKPAPAN, BANJAR, TANAH_LAUT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = ("region_code", "baseline", "output", "outcome", "impact", "quick_win", "published_index", "national_rank", "province_rank")


def upload(*rows):
    return xlsx_upload([HEADER, *rows], name="hasil_2022.xlsx")


def test_a_missing_round_is_created_with_the_default_weights_and_the_published_figures_are_kept(reference_data):
    report = services.import_results(upload(
        (BANJAR, 3.5, 4, 3.5, 2.5, 3, 3.30, 1, 1),
        (BALIKPAPAN, 3, 3, 3, 3, 3, 3.10, 2, 1),  # recomputed 3.00: differs by 0.10, flagged
        (TANAH_LAUT, 2, 2, 2, 2, 2, None, None, None),
    ), year=2022, stage=2)
    assert report.created and report.round.weight_set.version == "v2" and report.round.stage == 2
    assert [(r.code, r.recomputed, r.published, r.flagged) for r in report.rows] == [
        (TANAH_LAUT, Decimal("2.00"), None, False),
        (BANJAR, Decimal("3.30"), Decimal("3.30"), False),
        (BALIKPAPAN, Decimal("3.00"), Decimal("3.10"), True),
    ]
    balikpapan = Result.objects.get(round=report.round, region__code=BALIKPAPAN)
    assert (balikpapan.index, balikpapan.published_index, balikpapan.published_national_rank) == (Decimal("3.00"), Decimal("3.10"), 2)
    assert balikpapan.differs_from_published and balikpapan.national_rank == 2
    # The imported regions joined the round's scope.
    assert set(report.round.regions.values_list("code", flat=True)) == {BANJAR, BALIKPAPAN, TANAH_LAUT}


def test_another_weight_set_can_be_chosen_for_a_new_round(reference_data):
    report = services.import_results(upload((BANJAR, 3.5, 4, 3.5, 2.5, 3, 3.25, 1, 1)), year=2019, stage=1, weights="v1")
    assert report.round.weight_set.version == "v1" and report.rows[0].recomputed == Decimal("3.25")
    assert not report.flagged


def test_bad_rows_are_named_and_nothing_is_saved(reference_data):
    with pytest.raises(TableError) as caught:
        services.import_results(upload(
            (BANJAR, 3.5, 4, 3.5, 2.5, 3, 3.30, 1, 1),
            ("99.99", 3, 3, 3, 3, 3, None, None, None),
            (TANAH_LAUT, 6, 3, "tiga", 3, 3.555, "x", 0, 1.5),
            (BANJAR, 1, 1, 1, 1, 1, None, None, None),
        ), year=2021, stage=1)
    messages = [str(error) for error in caught.value.errors]
    assert messages == [
        "row 3, column region_code: 99.99 is not a kabupaten/kota of the registry",
        "row 4, column baseline: 6 is not between 0 and 5",
        "row 4, column outcome: tiga is not a number",
        "row 4, column quick_win: 3.555 has more than two decimals",
        "row 4, column published_index: x is not an index between 0 and 5 with two decimals",
        "row 4, column national_rank: 0 is not a rank (a whole number from 1)",
        "row 4, column province_rank: 1.5 is not a rank (a whole number from 1)",
        "row 5, column region_code: 63.03 appears again (first on row 2)",
    ]
    assert not EvaluationRound.objects.filter(round__year=2021).exists()
    assert not Result.objects.exists()


def test_a_missing_column_is_named(reference_data):
    with pytest.raises(TableError, match="quick_win: required column is missing"):
        services.import_results(xlsx_upload([HEADER[:5], (BANJAR, 1, 1, 1, 1)], name="x.xlsx"), year=2021, stage=1)


def test_the_command_prints_each_region_with_the_recomputed_and_the_published_index(reference_data, tmp_path):
    path = tmp_path / "hasil.xlsx"
    path.write_bytes(upload((BANJAR, 3.5, 4, 3.5, 2.5, 3, 3.30, 1, 1), (BALIKPAPAN, 3, 3, 3, 3, 3, 3.10, 2, 1)).read())
    out = StringIO()
    call_command("import_evaluation", str(path), "--year", "2022", "--stage", "1", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "round 2022 stage 1 (created), weights v2"
    assert lines[2].split() == [BANJAR, "3.30", "3.30"]
    assert lines[3].split() == [BALIKPAPAN, "3.00", "3.10", "DIFFERS"]
    assert "1 published indices differ" in lines[-1]


def test_the_command_fails_with_the_bad_row_and_writes_nothing(reference_data, tmp_path):
    path = tmp_path / "hasil.xlsx"
    path.write_bytes(upload((BANJAR, 3.5, 4, 3.5, 2.5, 9, None, None, None)).read())
    with pytest.raises(CommandError, match="row 2, column quick_win: 9 is not between 0 and 5"):
        call_command("import_evaluation", str(path), "--year", "2022", "--stage", "1", stdout=StringIO())
    assert not EvaluationRound.objects.exists()


def test_an_unknown_weight_set_is_refused(reference_data, tmp_path):
    path = tmp_path / "hasil.xlsx"
    path.write_bytes(upload((BANJAR, 3.5, 4, 3.5, 2.5, 3, None, None, None)).read())
    with pytest.raises(CommandError, match="Unknown weight set v9"):
        call_command("import_evaluation", str(path), "--year", "2022", "--stage", "1", "--weights", "v9", stdout=StringIO())
    assert not EvaluationRound.objects.exists()

"""Shared objects for the evaluation tests and the role matrix."""

from decimal import Decimal

from kotacerdas.regions.models import Region

# Kalimantan Selatan (63) and Kalimantan Timur (64) kabupaten/kota.
BANJAR, BARITO_KUALA, TANAH_LAUT, BALIKPAPAN, SAMARINDA = "63.03", "63.04", "63.01", "64.71", "64.72"


def scores(baseline, output, outcome, impact, quick_win):
    return {"baseline": Decimal(baseline), "output": Decimal(output), "outcome": Decimal(outcome),
            "impact": Decimal(impact), "quick_win": Decimal(quick_win)}


def region(code):
    return Region.objects.get(code=code)


def make_round(year=2031, stage=1, codes=(BANJAR, BARITO_KUALA, TANAH_LAUT, BALIKPAPAN, SAMARINDA), **kwargs):
    from kotacerdas.evaluation.services import create_round

    return create_round(year, stage, region_ids=[region(code).pk for code in codes], is_demo=True, **kwargs)


def store(evaluation, by_code, origin="manual", user=None):
    """Store results from {code: scores(...)}."""
    from kotacerdas.evaluation.services import store_results

    rows = [{"region_id": region(code).pk, **values} for code, values in by_code.items()]
    return store_results(evaluation, rows, origin=origin, user=user)


def results(evaluation):
    return {r.region.code: r for r in evaluation.results.select_related("region")}


def matrix_ids(assessor_user):
    """A published round (with Banjar's result), an unpublished one with Banjar's follow-up item
    and a verification panel where ``assessor_user`` verifies Banjar, for the role matrix."""
    from kotacerdas.evaluation.models import EvaluationRound

    published = EvaluationRound.objects.filter(round__year=2033, round__stage=1).first()
    if published is None:
        from kotacerdas.evaluation.services import publish_round

        from kotacerdas.evaluation.services import add_finding

        published = make_round(2033, 1)
        add_finding(published, region(BANJAR), "strength", "Dewan Smart City aktif")
        add_finding(published, region(BANJAR), "recommendation", "Tetapkan Perbup masterplan")
        store(published, {
            BANJAR: scores("3.50", "4.00", "3.50", "2.50", "3.00"), BARITO_KUALA: scores("3.00", "3.00", "3.00", "3.00", "3.00"),
            TANAH_LAUT: scores("2.00", "2.00", "2.00", "2.00", "2.00"), BALIKPAPAN: scores("4.00", "4.00", "4.00", "4.00", "4.00"),
            SAMARINDA: scores("1.00", "1.00", "1.00", "1.00", "1.00"),
        })
        publish_round(published)
    draft = EvaluationRound.objects.filter(round__year=2033, round__stage=2).first() or make_round(2033, 2)
    from kotacerdas.evaluation.models import FollowUp

    follow_up = FollowUp.objects.get(answered_in=draft, recommendation__region__code=BANJAR)
    from kotacerdas.assessment.models import PanelAssignment
    from kotacerdas.assessment.services.assessor_pool import register_assessor
    from kotacerdas.evaluation.services import create_verification_panel

    panel = create_verification_panel(draft)
    assessor = register_assessor(assessor_user, institution="Universitas Indonesia")
    verification, _created = PanelAssignment.objects.get_or_create(panel=panel, region=region(BANJAR), assessor=assessor)
    return {"ev_round": published.pk, "ev_draft_round": draft.pk, "ev_follow_up": follow_up.pk, "ev_verification": verification.pk}

"""The screening API: runs of a phase (drafts hidden from everyone but the ministry) and each
run's results with every input needed to recompute it."""

import numpy as np
import pytest

from kotacerdas import decision
from kotacerdas.accounts.services import create_token

from .helpers import demo_phase, make_run


@pytest.fixture
def runs(reference_data):
    phase = demo_phase()
    return make_run(phase, confirm=True), make_run(phase)


def test_the_public_sees_confirmed_runs_only(client, runs):
    confirmed, draft = runs
    assert [r["id"] for r in client.get("/api/v1/phases/2027/screening-runs").json()] == [confirmed.pk]
    assert client.get(f"/api/v1/phases/2027/screening-runs/{draft.pk}").status_code == 404
    assert client.get(f"/phases/2027/screening/{draft.pk}/").status_code == 404


def test_the_ministry_sees_drafts(client, runs, alice):
    _token, secret = create_token(alice, "test")
    data = client.get("/api/v1/phases/2027/screening-runs", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert len(data) == 2


def test_results_carry_the_inputs_to_recompute_them(client, runs):
    confirmed, _draft = runs
    data = client.get(f"/api/v1/phases/2027/screening-runs/{confirmed.pk}").json()
    inputs = data["inputs"]
    scores = decision.saw(np.array(inputs["matrix"]), inputs["weights"], inputs["benefit"], normalization=inputs["normalization"])
    by_code = {r["region_code"]: r for r in data["results"]}
    for code, score in zip(inputs["region_codes"], scores):
        assert abs(by_code[code]["score"] - score) <= 1e-9
    assert data["synthetic"] is True and data["notice"]
    assert inputs["seed"] == 7 and inputs["engine_version"] == decision.VERSION


def test_an_unknown_phase_is_404(client, runs):
    assert client.get("/api/v1/phases/1999/screening-runs").status_code == 404

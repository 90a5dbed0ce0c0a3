"""The callables the issue names are exported from kotacerdas.decision with the named parameters."""

import inspect

import kotacerdas.decision as decision

REQUIRED = {
    "normalize": ["matrix", "benefit", "method"],
    "ahp_weights": ["pairwise"],
    "entropy_weights": ["matrix"],
    "saw": ["matrix", "weights", "benefit"],
    "topsis": ["matrix", "weights", "benefit", "normalization"],
    "vikor": ["matrix", "weights", "benefit", "v"],
    "promethee_ii": ["matrix", "weights", "benefit", "preference", "p", "q"],
    "smaa": ["matrix", "benefit", "method", "samples", "seed", "weight_bounds", "top_k"],
    "krippendorff_alpha": ["ratings", "level"],
    "icc": ["ratings", "kind"],
    "assign": ["affinity", "conflicts", "per_candidate", "max_load"],
}


def test_every_named_callable_is_exported_with_its_parameters_in_order():
    for name, parameters in REQUIRED.items():
        assert name in decision.__all__, name
        signature = inspect.signature(getattr(decision, name))
        assert list(signature.parameters)[: len(parameters)] == parameters, name
        assert getattr(decision, name).__doc__, f"{name} has no docstring"


def test_the_defaults_are_the_ones_the_issue_names():
    assert inspect.signature(decision.topsis).parameters["normalization"].default == "vector"
    assert inspect.signature(decision.vikor).parameters["v"].default == 0.5
    assert inspect.signature(decision.promethee_ii).parameters["preference"].default == "usual"
    assert issubclass(decision.InfeasibleAssignment, Exception)

"""Hypothesis strategies shared by the decision tests."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays


@st.composite
def decision_problems(draw, min_alternatives=3, max_alternatives=8, min_criteria=2, max_criteria=5):
    """A positive decision matrix with distinct values, benefit flags and positive weights."""
    m = draw(st.integers(min_alternatives, max_alternatives))
    n = draw(st.integers(min_criteria, max_criteria))
    matrix = draw(arrays(np.float64, (m, n), elements=st.floats(1.0, 100.0, allow_nan=False)))
    benefit = draw(arrays(np.bool_, (n,)))
    weights = draw(arrays(np.float64, (n,), elements=st.floats(0.05, 1.0)))
    return matrix, benefit, weights

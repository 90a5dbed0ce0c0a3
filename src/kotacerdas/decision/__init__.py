"""kotacerdas.decision: the multi-criteria decision engine (pure NumPy/SciPy, no Django).

Normalisation with a missing-value policy, weights (direct, AHP, entropy), ranking methods (SAW,
TOPSIS, VIKOR, PROMETHEE II) with competition ranks, per-criterion explanations and SMAA-2
robustness analysis. ``VERSION`` identifies the engine so callers can store it with every result.
"""

from .explain import TopsisExplanation, explain, saw_contributions, topsis_contributions
from .methods import VERSION, RankingResult, promethee_ii, rank, saw, topsis, vikor
from .normalize import (
    NORMALIZATION_METHODS,
    CoverageNormalization,
    ExcludedAlternative,
    normalize,
    normalize_with_coverage,
)
from .ranking import competition_rank
from .smaa import SmaaResult, sample_weights, smaa
from .weights import (
    SAATY_RANDOM_INDEX,
    InconsistentComparisons,
    ahp_consistency,
    ahp_weights,
    check_consistency,
    direct_weights,
    entropy_weights,
)

__version__ = VERSION

__all__ = [
    "VERSION",
    "__version__",
    "NORMALIZATION_METHODS",
    "SAATY_RANDOM_INDEX",
    "CoverageNormalization",
    "ExcludedAlternative",
    "InconsistentComparisons",
    "RankingResult",
    "SmaaResult",
    "TopsisExplanation",
    "ahp_consistency",
    "ahp_weights",
    "check_consistency",
    "competition_rank",
    "direct_weights",
    "entropy_weights",
    "explain",
    "normalize",
    "normalize_with_coverage",
    "promethee_ii",
    "rank",
    "sample_weights",
    "saw",
    "saw_contributions",
    "smaa",
    "topsis",
    "topsis_contributions",
    "vikor",
]

from .raters import aggregate, calibrate_zscore, krippendorff_alpha, icc, flag_outlying_raters  # noqa: E402
from .assignment import assign, InfeasibleAssignment  # noqa: E402

__all__ += [
    "aggregate",
    "calibrate_zscore",
    "krippendorff_alpha",
    "icc",
    "flag_outlying_raters",
    "assign",
    "InfeasibleAssignment",
]

from .selection import select, SpreadRule, SelectionResult, InfeasibleSelection  # noqa: E402

__all__ += ["select", "SpreadRule", "SelectionResult", "InfeasibleSelection"]

from .sensitivity import in_top, weight_changes  # noqa: E402
from .shortlist import (  # noqa: E402
    SHORTLIST_METHODS,
    SHORTLIST_VERSION,
    SPREAD_RULES,
    InfeasibleShortlist,
    shortlist,
)

__all__ += ["in_top", "weight_changes", "SHORTLIST_METHODS", "SHORTLIST_VERSION", "SPREAD_RULES",
            "InfeasibleShortlist", "shortlist"]

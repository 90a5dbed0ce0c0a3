"""The work of the assessment stage, one module per concern: the panel and its rubric
(``panel_setup``), assessors and conflicts (``assessor_pool``), who scores whom and the sessions
(``allocation``), the scores (``score_sheets``) and the results (``outcomes``); selection and the
MoU are in ``assessment/selection.py``. Every function that writes several rows runs in one
transaction: it all lands or none of it does. Views and the API only call these."""

from django.core.exceptions import ValidationError


class AssessmentRefused(ValidationError):
    """An action the rules of the assessment stage do not allow (the message says why)."""

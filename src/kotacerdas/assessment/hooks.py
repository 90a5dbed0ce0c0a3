"""Where the other stages plug into the assessment without this app importing them.

- :data:`CANDIDATE_PANELS`: sections of an assessor's candidate page (the questionnaire answers
  and evidence, the screening result). The questionnaire and screening apps register a function
  ``panel(phase, region, user) -> {"title": str, "html": str} | None``.
- :data:`COMPONENT_SCORES`: the non-assessment parts of the final score. The questionnaire and
  screening apps register ``scores(phase, regions) -> {region_id: score on 0-100}``; when none
  is registered the component is unavailable and left out of the final score whatever its weight.
"""

CANDIDATE_PANELS = {}
COMPONENT_SCORES = {}

QUESTIONNAIRE, SCREENING = "questionnaire", "screening"


def register_candidate_panel(name, function):
    CANDIDATE_PANELS[name] = function


def register_component_score(name, function):
    COMPONENT_SCORES[name] = function


def candidate_sections(phase, region, user):
    """(name, section or None) for the questionnaire, the screening and any other registered panel."""
    names = [QUESTIONNAIRE, SCREENING] + sorted(set(CANDIDATE_PANELS) - {QUESTIONNAIRE, SCREENING})
    sections = []
    for name in names:
        function = CANDIDATE_PANELS.get(name)
        sections.append((name, function(phase, region, user) if function else None))
    return sections


def component_scores(name, phase, regions):
    """{region_id: 0-100} from the registered app, or None when no app provides the component."""
    function = COMPONENT_SCORES.get(name)
    if function is None:
        return None
    return function(phase, regions)


CANDIDATE_TAGS = {}


def register_candidate_tags(name, function):
    """``function(phase, regions) -> {region_id: set of tags}`` (e.g. leading sectors), matched
    against assessors' expertise when assigning."""
    CANDIDATE_TAGS[name] = function


def candidate_tags(phase, regions):
    tags = {}
    for function in CANDIDATE_TAGS.values():
        for region_id, values in function(phase, regions).items():
            tags.setdefault(region_id, set()).update(v.lower() for v in values)
    return tags

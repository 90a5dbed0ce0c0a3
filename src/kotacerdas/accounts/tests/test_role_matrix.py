"""Every page and every API operation, asked by every role: allowed, 403, or sent to log in.

The matrix below is the specification. A URL added to the project without a line here fails
:func:`test_every_url_is_in_the_matrix`, so no page is ever published without deciding who may
see it.

Documented exceptions, not walked: ``admin/`` (Django's admin has its own login and staff check;
only ministry admins are staff) and the static files.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from kotacerdas.accounts.models import Notification

EXCLUDED_PREFIXES = ("admin/", "static/", "media/")

ROLES = ["public", "ministry", "assessor", "mentor", "operator", "other operator"]

OK, LOGIN, FORBIDDEN, NOT_FOUND, UNAUTHORIZED = 200, "login", 403, 404, 401


def everyone(answer):
    return {role: answer for role in ROLES}


PUBLIC = everyone(OK)
SIGNED_IN = {**everyone(OK), "public": LOGIN}
MINISTRY_ONLY = {**everyone(FORBIDDEN), "public": LOGIN, "ministry": OK}
ASSESSOR_ONLY = {**everyone(FORBIDDEN), "public": LOGIN, "assessor": OK}
API_MINISTRY_ONLY = {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": OK}
API_MINISTRY_AND_ASSESSOR = {**API_MINISTRY_ONLY, "assessor": OK}
API_PUBLIC = PUBLIC
API_SIGNED_IN = {**everyone(OK), "public": UNAUTHORIZED}
# A region's draft plan: its operator, the ministry and the region's mentor (carol mentors Banjar
# in the mentoring fixtures; mentors review and comment on their regions' plans).
MP_DRAFT = {**everyone(NOT_FOUND), "ministry": OK, "operator": OK, "mentor": OK}
MP_EDIT = {**everyone(FORBIDDEN), "public": LOGIN, "operator": OK, "other operator": NOT_FOUND}
MP_EDIT_POST = {**everyone(FORBIDDEN), "public": LOGIN, "operator": 405, "other operator": 405}
MP_COMMENT_POST = {**everyone(405), "public": LOGIN, "assessor": FORBIDDEN}
# The API asked about Barito Kuala's empty draft (its operator is "other operator"): the writes
# pass the permission and are refused by the plan's state (400) or, without a body, 422.
API_MP_WRITE = {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "operator": 422, "other operator": 422}
API_MP_EDIT_STATE = {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "operator": NOT_FOUND, "other operator": 400}
API_MP_REVIEW = {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "mentor": NOT_FOUND}
BANJAR_OPERATOR_AND_MINISTRY = {
    **everyone(FORBIDDEN), "public": LOGIN, "ministry": OK, "operator": OK, "other operator": NOT_FOUND,
}
MENTORING = {**everyone(OK), "public": LOGIN, "assessor": FORBIDDEN}
BANJAR_MENTORING = {**BANJAR_OPERATOR_AND_MINISTRY, "mentor": OK}

# (route pattern as Django resolves it) -> (a concrete path to ask, method, answers per role)
PAGES = {
    "": ("/", PUBLIC),
    "data-sources/": ("/data-sources/", PUBLIC),
    "regions/": ("/regions/", PUBLIC),
    "regions/<str:code>/": ("/regions/63.03/", PUBLIC),
    # Audit dossiers (reports): everyone reads the public version, the ministry the full one;
    # a whole phase's archive is the ministry's.
    "regions/<str:code>/dossier/<int:year>/": ("/regions/63.03/dossier/2018/", PUBLIC),
    "regions/<str:code>/dossier/<int:year>.pdf": ("/regions/63.03/dossier/2018.pdf", PUBLIC),
    "dossiers/<int:year>/": ("/dossiers/2018/", MINISTRY_ONLY),
    # The dossier of an evaluation round (Banjar in the published round 2033 stage 1); the
    # unpublished round's is the ministry's alone (OUT_OF_SCOPE below), what each role reads of
    # these pages is in BLOCKS.
    "regions/<str:code>/dossier/evaluation/<int:year>/<int:stage>/": ("/regions/63.03/dossier/evaluation/2033/1/", PUBLIC),
    "regions/<str:code>/dossier/evaluation/<int:year>/<int:stage>.pdf": ("/regions/63.03/dossier/evaluation/2033/1.pdf", PUBLIC),
    "phases/": ("/phases/", PUBLIC),
    "phases/<int:year>/": ("/phases/2017/", PUBLIC),
    # Creating a phase is the ministry's (instead of the Django admin); each role's start page.
    "phases/new/": ("/phases/new/", MINISTRY_ONLY),
    "start/": ("/start/", SIGNED_IN),
    "healthz": ("/healthz", PUBLIC),
    # From a machine outside KOTACERDAS_METRICS_NETWORKS (none configured here): the ministry only.
    "metrics": ("/metrics", MINISTRY_ONLY),
    # A task Banjar's operator asked for: theirs and the ministry's; 404 for everyone else.
    "tasks/<uuid:task_id>/": ("/tasks/{task}/", {**everyone(NOT_FOUND), "public": LOGIN, "ministry": OK, "operator": OK}),
    "tasks/<uuid:task_id>/file": ("/tasks/{task}/file", {**everyone(NOT_FOUND), "public": LOGIN, "ministry": OK, "operator": OK}),
    "history/": ("/history/", MINISTRY_ONLY),
    # Django's language switch answers a GET with a redirect back (it only acts on POST).
    "i18n/setlang/": ("/i18n/setlang/", everyone(302)),
    "accounts/": ("/accounts/", SIGNED_IN),
    "accounts/login/": ("/accounts/login/", PUBLIC),
    "accounts/logout/": ("/accounts/logout/", everyone(405)),  # POST only
    "accounts/password-reset/": ("/accounts/password-reset/", PUBLIC),
    "accounts/password-reset/sent/": ("/accounts/password-reset/sent/", PUBLIC),
    # An invalid link still answers with a page that says so.
    "accounts/password/<uidb64>/<token>/": ("/accounts/password/MQ/bad-token/", PUBLIC),
    "accounts/password/done/": ("/accounts/password/done/", PUBLIC),
    "accounts/notifications/": ("/accounts/notifications/", SIGNED_IN),
    # Each user's own first notification (see the ``notification`` fixture): 200 for the owner.
    "accounts/notifications/<int:pk>/": ("/accounts/notifications/{own_notification}/", SIGNED_IN),
    "accounts/tokens/": ("/accounts/tokens/", SIGNED_IN),
    "accounts/tokens/<int:pk>/revoke/": ("/accounts/tokens/999999/revoke/", everyone(405)),  # POST only
    "accounts/users/": ("/accounts/users/", MINISTRY_ONLY),
    "accounts/users/import/": ("/accounts/users/import/", MINISTRY_ONLY),
    "accounts/users/<int:pk>/deactivate/": ("/accounts/users/{bob}/deactivate/", MINISTRY_ONLY),
    # Kabupaten Banjar's profile: the ministry and Banjar's operator; other signed-in roles 403,
    # the operator of another region 404 (outside their scope, as if it did not exist).
    "accounts/region/<str:code>/": (
        "/accounts/region/63.03/",
        {**everyone(FORBIDDEN), "public": LOGIN, "ministry": OK, "operator": OK, "other operator": NOT_FOUND},
    ),
    # Questionnaires: the ministry manages and reviews; Banjar's operator fills Banjar's
    # questionnaire, the other operator gets 404 (outside their scope).
    "questionnaires/": ("/questionnaires/", {**everyone(FORBIDDEN), "public": LOGIN, "operator": OK, "other operator": OK}),
    "questionnaires/forms/": ("/questionnaires/forms/", MINISTRY_ONLY),
    "questionnaires/forms/<int:pk>/": ("/questionnaires/forms/{q_form}/", MINISTRY_ONLY),
    "questionnaires/forms/<int:pk>/xlsform/": ("/questionnaires/forms/{q_form}/xlsform/", MINISTRY_ONLY),
    "questionnaires/<int:pk>/progress/": ("/questionnaires/{q_assignment}/progress/", MINISTRY_ONLY),
    "questionnaires/<int:pk>/export/<str:file_format>/": ("/questionnaires/{q_assignment}/export/xlsx/", MINISTRY_ONLY),
    "questionnaires/<int:pk>/fill/<str:code>/": (
        "/questionnaires/{q_assignment}/fill/63.03/",
        {**everyone(FORBIDDEN), "public": LOGIN, "operator": OK, "other operator": NOT_FOUND},
    ),
    "questionnaires/<int:pk>/fill/<str:code>/evidence/": ("/questionnaires/{q_assignment}/fill/63.03/evidence/", everyone(405)),  # POST only
    "questionnaires/submissions/<int:pk>/review/": ("/questionnaires/submissions/{q_submission}/review/", MINISTRY_ONLY),
    "questionnaires/submissions/<int:pk>/evidence.zip": ("/questionnaires/submissions/{q_submission}/evidence.zip", MINISTRY_ONLY),
    "questionnaires/evidence/<int:pk>/": (
        "/questionnaires/evidence/{q_evidence}/",
        # An assessor opens a candidate's evidence through the assessment (below), not here.
        {**everyone(FORBIDDEN), "public": LOGIN, "ministry": OK, "operator": OK, "other operator": NOT_FOUND},
    ),
    # Indicators and screening (the demo phase's confirmed run; drafts are tested in screening/tests).
    "indicators/": ("/indicators/", PUBLIC),
    "indicators/<slug:code>/": ("/indicators/ipm/", PUBLIC),
    "indicators/imports/": ("/indicators/imports/", MINISTRY_ONLY),
    "indicators/imports/<int:pk>/": ("/indicators/imports/{batch}/", MINISTRY_ONLY),
    "phases/<int:year>/screening/": ("/phases/2027/screening/", PUBLIC),
    "phases/<int:year>/screening/new/": ("/phases/2027/screening/new/", MINISTRY_ONLY),
    "phases/<int:year>/screening/compare/": ("/phases/2027/screening/compare/", PUBLIC),
    # The eligibility rules and checklists: the ministry's; the demo phase's run is confirmed, so the
    # pages show the rules without the forms (changes refused: screening/tests/test_rules_pages.py).
    "phases/<int:year>/screening/rules/": ("/phases/2027/screening/rules/", MINISTRY_ONLY),
    "phases/<int:year>/screening/rules/<int:rule_id>/delete/": (
        "/phases/2027/screening/rules/{requirement_rule}/delete/", MINISTRY_ONLY,
    ),
    "phases/<int:year>/screening/rules/<int:rule_id>/checklist/": (
        "/phases/2027/screening/rules/{requirement_rule}/checklist/", MINISTRY_ONLY,
    ),
    "phases/<int:year>/screening/rules/<int:rule_id>/checklist/import/": (
        "/phases/2027/screening/rules/{requirement_rule}/checklist/import/", everyone(405),  # POST only
    ),
    "phases/<int:year>/screening/<int:run_id>/": ("/phases/2027/screening/{confirmed_run}/", PUBLIC),
    "phases/<int:year>/screening/<int:run_id>/regions/<str:code>/": (
        "/phases/2027/screening/{confirmed_run}/regions/{ranked_region}/", PUBLIC,
    ),
    "phases/<int:year>/screening/<int:run_id>/what-if/": ("/phases/2027/screening/{confirmed_run}/what-if/", MINISTRY_ONLY),
    "phases/<int:year>/screening/<int:run_id>/confirm/": ("/phases/2027/screening/{confirmed_run}/confirm/", everyone(405)),  # POST only
    "phases/<int:year>/screening/<int:run_id>/invitations/": (
        "/phases/2027/screening/{confirmed_run}/invitations/", MINISTRY_ONLY,
    ),
    # Assessment: bob's own schedule and his assigned candidate (another assessor's candidate is
    # 404 for him: assessment/tests/test_scoring_visibility.py); the panel is the ministry's.
    "assessment/": ("/assessment/", ASSESSOR_ONLY),
    "assessment/<int:pk>/": ("/assessment/{bob_assignment}/", ASSESSOR_ONLY),
    # Banjar's evidence is neither of bob's candidate nor submitted: 404 for him.
    "assessment/<int:pk>/evidence/<int:evidence_pk>/": (
        "/assessment/{bob_assignment}/evidence/{q_evidence}/", {**ASSESSOR_ONLY, "assessor": NOT_FOUND},
    ),
    "assessment/assessors/": ("/assessment/assessors/", MINISTRY_ONLY),
    "assessment/panels/": ("/assessment/panels/", MINISTRY_ONLY),
    "assessment/panels/<int:year>/": ("/assessment/panels/2027/", MINISTRY_ONLY),
    "assessment/panels/<int:year>/results/": ("/assessment/panels/2027/results/", MINISTRY_ONLY),
    "assessment/panels/<int:year>/selection/": ("/assessment/panels/2027/selection/", MINISTRY_ONLY),
    "assessment/panels/<int:year>/mou/": ("/assessment/panels/2027/mou/", MINISTRY_ONLY),
    # Uploaded files (see _stored_files): Banjar's signed MoU for the ministry and Banjar's
    # operator; the adopted plan's regulation for whoever reads the plan (everyone).
    "assessment/mou/<int:pk>/document/": ("/assessment/mou/{mou}/document/", BANJAR_OPERATOR_AND_MINISTRY),
    "masterplans/<int:pk>/regulation/": ("/masterplans/{mp_adopted}/regulation/", PUBLIC),
    # Public once confirmed; the fixture's panel has no confirmed decision yet, so 404 for all
    # (the published case: assessment/tests/test_results_and_selection.py).
    "assessment/decisions/<int:year>/": ("/assessment/decisions/2027/", everyone(NOT_FOUND)),
    "assessment/decisions/<int:year>/decision.pdf": ("/assessment/decisions/2027/decision.pdf", everyone(NOT_FOUND)),
    # Master plans: adopted plans are public, the draft (Banjar's v2) is seen by the ministry and
    # Banjar's operator (the matrix's mentor mentors no region: 404, as for everyone else);
    # operators write, mentors of the region review, the ministry approves
    # (masterplans/tests/test_pages.py and test_workflow.py).
    "masterplans/": ("/masterplans/", PUBLIC),
    "masterplans/library/": ("/masterplans/library/", PUBLIC),
    "masterplans/taxonomy/": ("/masterplans/taxonomy/", PUBLIC),
    "masterplans/template.xlsx": ("/masterplans/template.xlsx", PUBLIC),
    "masterplans/regions/<str:code>/": ("/masterplans/regions/63.03/", PUBLIC),
    "masterplans/<int:pk>/": ("/masterplans/{mp_draft}/", MP_DRAFT),
    "masterplans/<int:pk>/plan.xlsx": ("/masterplans/{mp_draft}/plan.xlsx", MP_DRAFT),
    "masterplans/<int:pk>/plan.pdf": ("/masterplans/{mp_adopted}/plan.pdf", PUBLIC),
    "masterplans/<int:pk>/diff/<int:other>/": ("/masterplans/{mp_draft}/diff/{mp_adopted}/", MP_DRAFT),
    "masterplans/<int:pk>/edit/": ("/masterplans/{mp_draft}/edit/", MP_EDIT),
    "masterplans/<int:pk>/programs/new/": ("/masterplans/{mp_draft}/programs/new/", MP_EDIT),
    "masterplans/<int:pk>/programs/<int:program_id>/": ("/masterplans/{mp_draft}/programs/{mp_program}/", MP_EDIT),
    # POST only: the permission is checked first, then the method.
    "masterplans/<int:pk>/programs/<int:program_id>/delete/": ("/masterplans/{mp_draft}/programs/{mp_program}/delete/", MP_EDIT_POST),
    "masterplans/<int:pk>/import/": ("/masterplans/{mp_draft}/import/", MP_EDIT_POST),
    "masterplans/<int:pk>/workflow/<slug:name>/": ("/masterplans/{mp_draft}/workflow/submit/", everyone(405)),
    "masterplans/<int:pk>/progress/": ("/masterplans/{mp_adopted}/progress/", BANJAR_MENTORING),
    "masterplans/<int:pk>/progress/<int:program_id>/<int:year>/evidence/": (
        "/masterplans/{mp_adopted}/progress/{mp_adopted_program}/2026/evidence/", BANJAR_MENTORING),
    "masterplans/<int:pk>/adopt/": ("/masterplans/{mp_draft}/adopt/", {**MINISTRY_ONLY, "ministry": 405}),
    "masterplans/<int:pk>/comments/": ("/masterplans/{mp_draft}/comments/", MP_COMMENT_POST),
    "masterplans/<int:pk>/comments/<int:comment_id>/resolve/": ("/masterplans/{mp_draft}/comments/1/resolve/", MP_COMMENT_POST),
    # Open data (reports): public; demo phases never included.
    "data/": ("/data/", PUBLIC),
    "data/datapackage.json": ("/data/datapackage.json", PUBLIC),
    r"^data/(?P<name>[a-z-]+)\.(?P<file_format>csv|xlsx|json)$": ("/data/regions.csv", PUBLIC),
    # Agencies (OPD): Banjar's operator keeps Banjar's list (the other operator: 404); the
    # ministry imports lists for many regions.
    "regions/agencies/import/": ("/regions/agencies/import/", MINISTRY_ONLY),
    "regions/<str:code>/agencies/": ("/regions/63.03/agencies/", BANJAR_OPERATOR_AND_MINISTRY),
    # Mentoring (mentoring/tests/helpers.py): carol mentors Banjar, whose operator is dave; the
    # other operator's region (Barito Kuala) is in the cohort too but Banjar is not theirs (404).
    "mentoring/": ("/mentoring/", MENTORING),
    "mentoring/notes/": ("/mentoring/notes/", MENTORING),
    "mentoring/<int:year>/": ("/mentoring/{m_year}/", MINISTRY_ONLY),
    "mentoring/<int:year>/board/": ("/mentoring/{m_year}/board/", MENTORING),
    "mentoring/<int:year>/bimtek/<int:number>/": ("/mentoring/{m_year}/bimtek/1/", MINISTRY_ONLY),
    "mentoring/<int:year>/regions/<str:code>/": ("/mentoring/{m_year}/regions/63.03/", BANJAR_MENTORING),
    "mentoring/outputs/<int:pk>/": ("/mentoring/outputs/{m_upload}/", BANJAR_MENTORING),
    "mentoring/mentors/<int:pk>/calendar.ics": (
        "/mentoring/mentors/{m_mentor}/calendar.ics", {**MINISTRY_ONLY, "mentor": OK},
    ),
    "mentoring/regions/<str:code>/calendar.ics": ("/mentoring/regions/63.03/calendar.ics", PUBLIC),
    "mentoring/regions/<str:code>/institutions/": ("/mentoring/regions/63.03/institutions/", PUBLIC),
    "mentoring/regions/<str:code>/institutions/manage/": (
        "/mentoring/regions/63.03/institutions/manage/", BANJAR_OPERATOR_AND_MINISTRY,
    ),
    "mentoring/regions/<str:code>/institutions/forums/<int:pk>/minutes": (
        "/mentoring/regions/63.03/institutions/forums/{m_forum}/minutes", BANJAR_OPERATOR_AND_MINISTRY,
    ),
    "mentoring/regions/<str:code>/institutions/<str:kind>/decree": (
        "/mentoring/regions/63.03/institutions/council/decree", BANJAR_OPERATOR_AND_MINISTRY,
    ),
}

# (method, route under api/v1/) -> (a concrete path, answers per role)
API = {
    ("GET", "api/v1/"): ("/api/v1/", everyone(404)),  # no page at the root of the API
    ("GET", "api/v1/openapi.json"): ("/api/v1/openapi.json", API_PUBLIC),
    ("GET", "api/v1/docs"): ("/api/v1/docs", API_PUBLIC),
    ("GET", "api/v1/regions"): ("/api/v1/regions", API_PUBLIC),
    ("GET", "api/v1/regions/<code>"): ("/api/v1/regions/63.03", API_PUBLIC),
    ("GET", "api/v1/phases"): ("/api/v1/phases", API_PUBLIC),
    ("GET", "api/v1/phases/<year>"): ("/api/v1/phases/2017", API_PUBLIC),
    ("GET", "api/v1/accounts/me"): ("/api/v1/accounts/me", API_SIGNED_IN),
    ("GET", "api/v1/me/workspace"): ("/api/v1/me/workspace", API_SIGNED_IN),
    ("GET", "api/v1/accounts/notifications"): ("/api/v1/accounts/notifications", API_SIGNED_IN),
    ("GET", "api/v1/accounts/notifications/<notification_id>"): (
        "/api/v1/accounts/notifications/{own_notification}",
        API_SIGNED_IN,
    ),
    # Writes asked without a body: 422 for whoever passes the permission. A phase and an
    # indicator import are the ministry's; one's own settings and tokens every signed-in user's
    # (token 999999 is nobody's: 404); accounts are the ministry's (user 999999: 404, so the
    # matrix deactivates nobody).
    ("POST", "api/v1/phases"): ("/api/v1/phases", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/indicators/imports"): ("/api/v1/indicators/imports", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("PUT", "api/v1/accounts/me/settings"): ("/api/v1/accounts/me/settings", {**everyone(422), "public": UNAUTHORIZED}),
    ("GET", "api/v1/accounts/tokens"): ("/api/v1/accounts/tokens", API_SIGNED_IN),
    ("POST", "api/v1/accounts/tokens"): ("/api/v1/accounts/tokens", {**everyone(422), "public": UNAUTHORIZED}),
    ("DELETE", "api/v1/accounts/tokens/<token_id>"): ("/api/v1/accounts/tokens/999999", {**everyone(NOT_FOUND), "public": UNAUTHORIZED}),
    ("POST", "api/v1/accounts/users/import"): ("/api/v1/accounts/users/import", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/accounts/users/<user_id>/deactivate"): (
        "/api/v1/accounts/users/999999/deactivate", {**API_MINISTRY_ONLY, "ministry": NOT_FOUND},
    ),
    ("GET", "api/v1/indicators"): ("/api/v1/indicators", API_PUBLIC),
    ("GET", "api/v1/indicator-values"): ("/api/v1/indicator-values", API_PUBLIC),
    ("GET", "api/v1/phases/<year>/screening-runs"): ("/api/v1/phases/2027/screening-runs", API_PUBLIC),
    ("GET", "api/v1/phases/<year>/eligibility-rules"): ("/api/v1/phases/2027/eligibility-rules", API_MINISTRY_ONLY),
    # The ministry's screening writes, asked of the demo phase whose run is confirmed: without a
    # body the ministry gets 422; removing a rule is refused (409); confirming the confirmed run
    # changes nothing (200).
    ("POST", "api/v1/phases/<year>/eligibility-rules"): ("/api/v1/phases/2027/eligibility-rules", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("DELETE", "api/v1/phases/<year>/eligibility-rules/<rule_id>"): (
        "/api/v1/phases/2027/eligibility-rules/{requirement_rule}", {**API_MINISTRY_ONLY, "ministry": 409},
    ),
    ("PUT", "api/v1/phases/<year>/eligibility-rules/<rule_id>/checklist"): (
        "/api/v1/phases/2027/eligibility-rules/{requirement_rule}/checklist", {**API_MINISTRY_ONLY, "ministry": 422},
    ),
    ("POST", "api/v1/phases/<year>/eligibility-rules/<rule_id>/checklist/import"): (
        "/api/v1/phases/2027/eligibility-rules/{requirement_rule}/checklist/import", {**API_MINISTRY_ONLY, "ministry": 422},
    ),
    ("POST", "api/v1/phases/<year>/screening-runs"): ("/api/v1/phases/2027/screening-runs", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/phases/<year>/screening-runs/<run_id>/confirm"): (
        "/api/v1/phases/2027/screening-runs/{confirmed_run}/confirm", API_MINISTRY_ONLY,
    ),
    ("GET", "api/v1/phases/<year>/screening-runs/<run_id>"): (
        "/api/v1/phases/2027/screening-runs/{confirmed_run}", API_PUBLIC,
    ),
    ("GET", "api/v1/accounts/regions/<code>"): (
        "/api/v1/accounts/regions/63.03",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": OK, "operator": OK, "other operator": NOT_FOUND},
    ),
    ("GET", "api/v1/questionnaires/<assignment_id>/regions/<code>"): (
        "/api/v1/questionnaires/{q_assignment}/regions/63.03",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "operator": OK, "other operator": NOT_FOUND},
    ),
    # Asked without a body: operators pass the permission and the body is refused (422).
    ("POST", "api/v1/questionnaires/<assignment_id>/regions/<code>"): (
        "/api/v1/questionnaires/{q_assignment}/regions/63.03",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "operator": 422, "other operator": 422},
    ),
    # The ministry's questionnaire writes asked without a body (422) or of Banjar's draft (neither
    # returned nor accepted: 400); the progress is read; evidence is Banjar's operator's (the
    # other operator is refused the body first, 422, then the region, 404).
    ("POST", "api/v1/questionnaires/forms"): ("/api/v1/questionnaires/forms", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/questionnaires/forms/<form_id>/assignments"): (
        "/api/v1/questionnaires/forms/{q_form}/assignments", {**API_MINISTRY_ONLY, "ministry": 422},
    ),
    ("GET", "api/v1/questionnaires/<assignment_id>/progress"): ("/api/v1/questionnaires/{q_assignment}/progress", API_MINISTRY_ONLY),
    ("POST", "api/v1/questionnaires/<assignment_id>/extensions"): (
        "/api/v1/questionnaires/{q_assignment}/extensions", {**API_MINISTRY_ONLY, "ministry": 422},
    ),
    ("POST", "api/v1/questionnaires/submissions/<submission_id>/return"): (
        "/api/v1/questionnaires/submissions/{q_submission}/return", {**API_MINISTRY_ONLY, "ministry": 422},
    ),
    ("POST", "api/v1/questionnaires/submissions/<submission_id>/accept"): (
        "/api/v1/questionnaires/submissions/{q_submission}/accept", {**API_MINISTRY_ONLY, "ministry": 422},
    ),
    ("POST", "api/v1/questionnaires/<assignment_id>/regions/<code>/evidence"): (
        "/api/v1/questionnaires/{q_assignment}/regions/63.03/evidence",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "operator": 422, "other operator": 422},
    ),
    ("GET", "api/v1/assessment/assignments"): ("/api/v1/assessment/assignments", API_MINISTRY_AND_ASSESSOR),
    ("GET", "api/v1/assessment/assignments/<assignment_id>/scores"): (
        "/api/v1/assessment/assignments/{bob_assignment}/scores", API_MINISTRY_AND_ASSESSOR,
    ),
    # Asked without a body: the assessor passes the permission and the body is refused (422).
    ("PUT", "api/v1/assessment/assignments/<assignment_id>/scores"): (
        "/api/v1/assessment/assignments/{bob_assignment}/scores",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "assessor": 422},
    ),
    ("GET", "api/v1/assessment/<year>/scores"): ("/api/v1/assessment/2027/scores", API_MINISTRY_ONLY),
    ("GET", "api/v1/assessment/<year>/results"): ("/api/v1/assessment/2027/results", API_MINISTRY_ONLY),
    ("GET", "api/v1/assessment/<year>/decision"): ("/api/v1/assessment/2027/decision", everyone(NOT_FOUND)),
    # The ministry's panel, selection and MoU writes on the demo phase's panel (scoring, nothing
    # closed or selected yet), asked without a body: 422 for the ministry; 403 for the others.
    ("POST", "api/v1/assessment/assessors/<assessor_id>/conflicts"): ("/api/v1/assessment/assessors/1/conflicts", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/assessment/panels"): ("/api/v1/assessment/panels", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/assessment/<year>/panel/state"): ("/api/v1/assessment/2027/panel/state", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/assessment/<year>/panel/assignments"): ("/api/v1/assessment/2040/panel/assignments", {**API_MINISTRY_ONLY, "ministry": 404}),
    ("POST", "api/v1/assessment/<year>/panel/assignments/<assignment_id>/swap"): (
        "/api/v1/assessment/2027/panel/assignments/{bob_assignment}/swap", {**API_MINISTRY_ONLY, "ministry": 422},
    ),
    ("PUT", "api/v1/assessment/<year>/panel/sessions/<code>"): ("/api/v1/assessment/2027/panel/sessions/63.01", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("PUT", "api/v1/assessment/<year>/panel/aspects/<aspect_id>"): ("/api/v1/assessment/2027/panel/aspects/1", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/assessment/<year>/selection"): ("/api/v1/assessment/2027/selection", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/assessment/<year>/selection/confirm"): ("/api/v1/assessment/2027/selection/confirm", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/assessment/<year>/mou/<code>"): ("/api/v1/assessment/2027/mou/63.03", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("GET", "api/v1/taxonomy"): ("/api/v1/taxonomy", API_PUBLIC),
    ("GET", "api/v1/regions/<code>/masterplans"): ("/api/v1/regions/63.03/masterplans", API_PUBLIC),
    ("POST", "api/v1/regions/<code>/masterplans"): ("/api/v1/regions/63.04/masterplans", API_MP_WRITE),
    ("GET", "api/v1/masterplans/library"): ("/api/v1/masterplans/library", API_PUBLIC),
    ("GET", "api/v1/masterplans/<plan_id>"): ("/api/v1/masterplans/{mp_draft}", MP_DRAFT),
    ("POST", "api/v1/masterplans/<plan_id>/programs"): ("/api/v1/masterplans/{mp_other}/programs", API_MP_WRITE),
    ("GET", "api/v1/masterplans/<plan_id>/progress"): (
        "/api/v1/masterplans/{mp_adopted}/progress?year=2026",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": OK, "mentor": OK, "operator": OK, "other operator": NOT_FOUND},
    ),
    ("PUT", "api/v1/masterplans/<plan_id>/programs/<program_id>/progress/<year>"): (
        "/api/v1/masterplans/{mp_adopted}/programs/{mp_adopted_program}/progress/2026", API_MP_WRITE,
    ),
    ("POST", "api/v1/masterplans/<plan_id>/import"): ("/api/v1/masterplans/{mp_other}/import", API_MP_WRITE),
    ("POST", "api/v1/masterplans/<plan_id>/comments"): (
        "/api/v1/masterplans/{mp_other}/comments",
        {**everyone(422), "public": UNAUTHORIZED, "assessor": FORBIDDEN},
    ),
    # Barito Kuala's draft: no program 999999 and no comment 999999 (404 past the permission);
    # adoption asked without its form fields (422 for the ministry).
    ("DELETE", "api/v1/masterplans/<plan_id>/programs/<program_id>"): (
        "/api/v1/masterplans/{mp_other}/programs/999999",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "operator": NOT_FOUND, "other operator": NOT_FOUND},
    ),
    ("POST", "api/v1/masterplans/<plan_id>/adopt"): ("/api/v1/masterplans/{mp_other}/adopt", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/masterplans/<plan_id>/comments/<comment_id>/resolve"): (
        "/api/v1/masterplans/{mp_other}/comments/999999/resolve",
        {**everyone(NOT_FOUND), "public": UNAUTHORIZED, "assessor": FORBIDDEN},
    ),
    ("POST", "api/v1/masterplans/<plan_id>/submit"): ("/api/v1/masterplans/{mp_other}/submit", API_MP_EDIT_STATE),
    ("POST", "api/v1/masterplans/<plan_id>/new-version"): ("/api/v1/masterplans/{mp_other}/new-version", API_MP_EDIT_STATE),
    ("POST", "api/v1/masterplans/<plan_id>/return"): ("/api/v1/masterplans/{mp_other}/return", API_MP_REVIEW),
    ("POST", "api/v1/masterplans/<plan_id>/forward"): ("/api/v1/masterplans/{mp_other}/forward", API_MP_REVIEW),
    ("POST", "api/v1/masterplans/<plan_id>/adopt"): (
        "/api/v1/masterplans/{mp_other}/adopt", {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": 422},
    ),
    ("DELETE", "api/v1/masterplans/<plan_id>/programs/<program_id>"): (
        "/api/v1/masterplans/{mp_other}/programs/{mp_program}",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "operator": NOT_FOUND, "other operator": NOT_FOUND},
    ),
    ("POST", "api/v1/masterplans/<plan_id>/comments/<comment_id>/resolve"): (
        "/api/v1/masterplans/{mp_other}/comments/{mp_program}/resolve",
        {**everyone(NOT_FOUND), "public": UNAUTHORIZED, "assessor": FORBIDDEN},
    ),
    ("POST", "api/v1/masterplans/<plan_id>/approve"): (
        "/api/v1/masterplans/{mp_other}/approve", {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": 400},
    ),
    # Mentoring: the cohort for everyone in it (narrowed to their own regions), the writes for the
    # roles the pages allow. Asked without a body: a role that passes gets 422; the ministry's
    # assignment of an already assigned cohort is refused (400).
    ("GET", "api/v1/phases/<year>/cohort"): (
        "/api/v1/phases/{m_year}/cohort", {**everyone(OK), "public": UNAUTHORIZED, "assessor": FORBIDDEN},
    ),
    ("POST", "api/v1/phases/<year>/cohort/assignments"): (
        "/api/v1/phases/{m_year}/cohort/assignments", {**API_MINISTRY_ONLY, "ministry": 400},
    ),
    ("PUT", "api/v1/phases/<year>/cohort/bimtek/<number>"): (
        "/api/v1/phases/{m_year}/cohort/bimtek/1", {**API_MINISTRY_ONLY, "ministry": 422},
    ),
    ("POST", "api/v1/mentoring/bimtek/<bimtek_id>/regions/<code>/attendance"): (
        "/api/v1/mentoring/bimtek/{m_bimtek}/regions/63.03/attendance",
        {**everyone(422), "public": UNAUTHORIZED, "assessor": FORBIDDEN},
    ),
    ("POST", "api/v1/mentoring/bimtek/<bimtek_id>/regions/<code>/notes"): (
        "/api/v1/mentoring/bimtek/{m_bimtek}/regions/63.03/notes",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "mentor": 422},
    ),
    ("POST", "api/v1/phases/<year>/cohort/assignments/<assignment_id>/swap"): (
        "/api/v1/phases/{m_year}/cohort/assignments/{m_assignment}/swap", {**API_MINISTRY_ONLY, "ministry": 422},
    ),
    ("POST", "api/v1/mentoring/outputs/<output_id>/regions/<code>"): (
        "/api/v1/mentoring/outputs/{m_output}/regions/63.03",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "operator": 422, "other operator": 422},
    ),
    ("GET", "api/v1/regions/<code>/institutions"): ("/api/v1/regions/63.03/institutions", API_PUBLIC),
    ("POST", "api/v1/regions/<code>/institutions/council/members"): (
        "/api/v1/regions/63.03/institutions/council/members",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": 422, "operator": 422, "other operator": 422},
    ),
    # The other writes of the institutions page: Banjar's operator and the ministry; the other
    # operator passes the permission but not the scope (404) where no body is needed first.
    ("POST", "api/v1/regions/<code>/institutions/team/members"): (
        "/api/v1/regions/63.03/institutions/team/members",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": 422, "operator": 422, "other operator": 422},
    ),
    ("DELETE", "api/v1/regions/<code>/institutions/<kind>/members/<member_id>"): (
        "/api/v1/regions/63.03/institutions/council/members/{m_member}",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": OK, "operator": OK, "other operator": NOT_FOUND},
    ),
    ("POST", "api/v1/regions/<code>/institutions/<kind>/decree"): (
        "/api/v1/regions/63.03/institutions/council/decree",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": OK, "operator": OK, "other operator": NOT_FOUND},
    ),
    ("PUT", "api/v1/regions/<code>/institutions/secretariat"): (
        "/api/v1/regions/63.03/institutions/secretariat",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": 422, "operator": 422, "other operator": 422},
    ),
    ("POST", "api/v1/regions/<code>/institutions/forums"): (
        "/api/v1/regions/63.03/institutions/forums",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": 422, "operator": 422, "other operator": 422},
    ),
    ("POST", "api/v1/phases/<year>/cohort"): ("/api/v1/phases/{m_year}/cohort", API_MINISTRY_ONLY),
    ("POST", "api/v1/mentoring/bimtek/<bimtek_id>/regions/<code>/attendance/import"): (
        "/api/v1/mentoring/bimtek/{m_bimtek}/regions/63.03/attendance/import",
        {**everyone(422), "public": UNAUTHORIZED, "assessor": FORBIDDEN},
    ),
    # Agencies (regions/api.py): names public; Banjar's list kept by its operator and the ministry.
    ("GET", "api/v1/regions/<code>/agencies"): ("/api/v1/regions/63.03/agencies", API_PUBLIC),
    ("POST", "api/v1/regions/<code>/agencies"): (
        "/api/v1/regions/63.03/agencies",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": 422, "operator": 422, "other operator": 422},
    ),
    ("PUT", "api/v1/regions/<code>/agencies/<agency_id>"): (
        "/api/v1/regions/63.03/agencies/{m_agency}",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": 422, "operator": 422, "other operator": 422},
    ),
    ("DELETE", "api/v1/regions/<code>/agencies/<agency_id>"): (
        "/api/v1/regions/63.03/agencies/{m_agency}",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": OK, "operator": OK, "other operator": NOT_FOUND},
    ),
    ("POST", "api/v1/regions/<code>/default-agencies"): (
        "/api/v1/regions/63.03/default-agencies",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": OK, "operator": OK, "other operator": NOT_FOUND},
    ),
    ("POST", "api/v1/regions/agencies/import"): ("/api/v1/regions/agencies/import", {**API_MINISTRY_ONLY, "ministry": 422}),
    ("POST", "api/v1/phases/<year>/cohort/training"): (
        "/api/v1/phases/{m_year}/cohort/training", {**API_MINISTRY_ONLY, "ministry": 422},
    ),
}


# Evaluation: results public once published (the unpublished round is the ministry's, 404 for the
# rest, as if it did not exist); Banjar's letter for the ministry and Banjar's operator; the
# follow-up item (a recommendation to Banjar) answered by Banjar's operator only.
ANSWER_OWN_REGION = {**everyone(FORBIDDEN), "public": LOGIN, "operator": OK, "other operator": NOT_FOUND}
PAGES.update({
    "evaluation/": ("/evaluation/", PUBLIC),
    "evaluation/import/": ("/evaluation/import/", MINISTRY_ONLY),
    "evaluation/<int:pk>/": ("/evaluation/{ev_round}/", PUBLIC),
    "evaluation/<int:pk>/export/<str:file_format>/": ("/evaluation/{ev_round}/export/xlsx/", PUBLIC),
    "evaluation/<int:pk>/weights/": ("/evaluation/{ev_round}/weights/", everyone(405)),  # POST only
    "evaluation/<int:pk>/publish/": ("/evaluation/{ev_round}/publish/", everyone(405)),  # POST only
    "evaluation/<int:pk>/regions/<str:code>/": ("/evaluation/{ev_round}/regions/63.03/", PUBLIC),
    "evaluation/<int:pk>/regions/<str:code>/letter.pdf": (
        "/evaluation/{ev_round}/regions/63.03/letter.pdf", {**MINISTRY_ONLY, "operator": OK, "other operator": NOT_FOUND},
    ),
    "evaluation/<int:pk>/regions/<str:code>/correct/": ("/evaluation/{ev_round}/regions/63.03/correct/", everyone(405)),
    "evaluation/<int:pk>/regions/<str:code>/findings/": ("/evaluation/{ev_round}/regions/63.03/findings/", everyone(405)),
    "evaluation/<int:pk>/regions/<str:code>/objection/": ("/evaluation/{ev_round}/regions/63.03/objection/", everyone(405)),
    "evaluation/follow-up/<int:pk>/": ("/evaluation/follow-up/{ev_follow_up}/", ANSWER_OWN_REGION),
    "evaluation/follow-up/<int:pk>/evidence/": ("/evaluation/follow-up/{ev_follow_up}/evidence/", BANJAR_OPERATOR_AND_MINISTRY),
    "evaluation/verification/<int:pk>/": ("/evaluation/verification/{ev_verification}/", ASSESSOR_ONLY),
    "evaluation/verification/": ("/evaluation/verification/", ASSESSOR_ONLY),
    "evaluation/<int:pk>/verification-panel/": ("/evaluation/{ev_draft_round}/verification-panel/", everyone(405)),  # POST only
    "evaluation/<int:pk>/verification-results/": ("/evaluation/{ev_draft_round}/verification-results/", everyone(405)),  # POST only
    "evaluation/<int:pk>/verification-interviews/": ("/evaluation/{ev_draft_round}/verification-interviews/", everyone(405)),  # POST only
    # Agency progress of the round's regions: the ministry, the regions' operators and mentors.
    "evaluation/<int:pk>/progress/": ("/evaluation/{ev_draft_round}/progress/", MENTORING),
})
# Write operations asked without a body: the ministry passes the permission and the body is refused (422).
API_MINISTRY_WRITE = {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": 422}
API.update({
    ("GET", "api/v1/evaluation/rounds"): ("/api/v1/evaluation/rounds", API_PUBLIC),
    ("POST", "api/v1/evaluation/rounds"): ("/api/v1/evaluation/rounds", API_MINISTRY_WRITE),
    ("GET", "api/v1/evaluation/rounds/<round_id>"): ("/api/v1/evaluation/rounds/{ev_round}", API_PUBLIC),
    ("GET", "api/v1/evaluation/rounds/<round_id>/results"): ("/api/v1/evaluation/rounds/{ev_round}/results", API_PUBLIC),
    # Starting the verification without a body: 422; computing results without submitted scores: refused (400).
    ("POST", "api/v1/evaluation/rounds/<round_id>/verification-panel"): (
        "/api/v1/evaluation/rounds/{ev_draft_round}/verification-panel", API_MINISTRY_WRITE,
    ),
    ("POST", "api/v1/evaluation/rounds/<round_id>/verification-results"): (
        "/api/v1/evaluation/rounds/{ev_draft_round}/verification-results", {**API_MINISTRY_WRITE, "ministry": 400},
    ),
    ("PUT", "api/v1/evaluation/rounds/<round_id>/verification-interviews/<code>"): (
        "/api/v1/evaluation/rounds/{ev_draft_round}/verification-interviews/63.03", API_MINISTRY_WRITE,
    ),
    ("GET", "api/v1/evaluation/rounds/<round_id>/progress"): (
        "/api/v1/evaluation/rounds/{ev_draft_round}/progress", {**everyone(OK), "public": UNAUTHORIZED, "assessor": FORBIDDEN},
    ),
    ("PUT", "api/v1/evaluation/rounds/<round_id>/results"): ("/api/v1/evaluation/rounds/{ev_draft_round}/results", API_MINISTRY_WRITE),
    ("PUT", "api/v1/evaluation/rounds/<round_id>/weights"): ("/api/v1/evaluation/rounds/{ev_draft_round}/weights", API_MINISTRY_WRITE),
    ("POST", "api/v1/evaluation/rounds/<round_id>/publish"): ("/api/v1/evaluation/rounds/{ev_draft_round}/publish", API_MINISTRY_WRITE),
    ("POST", "api/v1/evaluation/rounds/<round_id>/results/<code>/corrections"): (
        "/api/v1/evaluation/rounds/{ev_round}/results/63.03/corrections", API_MINISTRY_WRITE,
    ),
    # The twins of the result, follow-up and verification pages, asked without a body: a role the
    # action allows gets 422 (the region is checked after the body: see evaluation/tests/test_api_writes.py).
    ("POST", "api/v1/evaluation/rounds/<round_id>/results/<code>/findings"): (
        "/api/v1/evaluation/rounds/{ev_round}/results/63.03/findings", API_MINISTRY_WRITE,
    ),
    ("POST", "api/v1/evaluation/rounds/<round_id>/results/<code>/objections"): (
        "/api/v1/evaluation/rounds/{ev_round}/results/63.03/objections",
        {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "operator": 422, "other operator": 422},
    ),
    ("POST", "api/v1/evaluation/follow-ups/<follow_up_id>"): (
        "/api/v1/evaluation/follow-ups/{ev_follow_up}", {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "operator": 422, "other operator": 422},
    ),
    ("PUT", "api/v1/evaluation/verifications/<assignment_id>/scores"): (
        "/api/v1/evaluation/verifications/{ev_verification}/scores", {**everyone(FORBIDDEN), "public": UNAUTHORIZED, "assessor": 422},
    ),
    # The audit dossiers of a whole phase: the ministry's (a task worker makes them: 202 with a body).
    ("POST", "api/v1/reports/phases/<year>/dossiers"): ("/api/v1/reports/phases/2018/dossiers", API_MINISTRY_WRITE),
})


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _ninja_operations():
    """(method, route) of every django-ninja operation, routes written as Django resolves them."""
    from kotacerdas.api import api

    operations = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            route = re.sub(r"\{(?:\w+:)?(\w+)\}", r"<\1>", "api/v1/" + (prefix + path).strip("/"))
            for operation in path_view.operations:
                operations |= {(method, route) for method in operation.methods}
    return operations


def project_urls():
    pages, api = set(), set()
    operations = _ninja_operations()
    for route, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if route.startswith("api/v1/"):
            # One URL pattern serves every method of a path; the documentation pages are GET.
            methods = {method for method, operation_route in operations if operation_route == route}
            api |= {(method, route) for method in methods or {"GET"}}
        else:
            pages.add(route)
    return pages, api


def test_every_url_is_in_the_matrix():
    pages, api = project_urls()
    assert pages - set(PAGES) == set(), "add the new pages to PAGES with the answer of every role"
    assert set(PAGES) - pages == set(), "these pages no longer exist: remove them from PAGES"
    assert api - set(API) == set(), "add the new API operations to API with the answer of every role"
    assert set(API) - api == set(), "these API operations no longer exist: remove them from API"


@pytest.fixture
def actors(role_users):
    from kotacerdas.accounts.services import notify

    users = {"public": None, **role_users}
    for user in role_users.values():
        notify(user, "accounts/email/invitation", {"link": "https://example.org/", "roles": []})
    from kotacerdas.screening.tests.helpers import matrix_ids

    from kotacerdas.questionnaires.tests.helpers import matrix_ids as questionnaire_ids

    from kotacerdas.assessment.tests.helpers import matrix_ids as assessment_ids

    from kotacerdas.evaluation.tests.helpers import matrix_ids as evaluation_ids
    from kotacerdas.masterplans.tests.helpers import matrix_ids as masterplan_ids
    from kotacerdas.mentoring.tests.helpers import matrix_ids as mentoring_ids

    users["_ids"] = {
        **matrix_ids(), **questionnaire_ids(), **assessment_ids(role_users["assessor"]), **masterplan_ids(),
        **mentoring_ids(role_users["mentor"]), **evaluation_ids(role_users["assessor"]),
    }
    from kotacerdas.lib.jobs.tests.helpers import finished_task_with_file

    users["_ids"]["task"] = finished_task_with_file(role_users["operator"]).task_id
    users["_ids"]["mou"] = _stored_files(users["_ids"])
    return users


def _stored_files(ids):
    """Put a file behind each download of an uploaded file: the adopted plan's regulation, the
    follow-up item's evidence and Banjar's signed MoU (whose id is returned)."""
    import datetime

    from django.core.files.base import ContentFile

    from kotacerdas.assessment.models import Mou
    from kotacerdas.evaluation.models import FollowUp
    from kotacerdas.masterplans.models import MasterPlan
    from kotacerdas.program.demo import DEMO_PHASE
    from kotacerdas.program.models import Phase
    from kotacerdas.regions.models import Region

    pdf = b"%PDF-1.4 test"
    plan = MasterPlan.objects.get(pk=ids["mp_adopted"])
    plan.signed_file.save("perbup.pdf", ContentFile(pdf))
    follow_up = FollowUp.objects.get(pk=ids["ev_follow_up"])
    follow_up.evidence.save("bukti.pdf", ContentFile(pdf))
    mou = Mou(phase=Phase.objects.get(year=DEMO_PHASE["year"]), region=Region.objects.get(code="63.03"),
              signed_on=datetime.date(2027, 11, 1), place="Jakarta", number="MoU/1", signatories="A, B")
    mou.document.save("mou.pdf", ContentFile(pdf))
    return mou.pk


def _path(template, user, users):
    own = Notification.objects.filter(recipient=user).first() if user else Notification.objects.first()
    return template.format(own_notification=own.pk, bob=users["assessor"].pk, **users["_ids"])


def _answer(response):
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_answer_the_matrix_gives_on_every_page(client, actors, role):
    user = actors[role]
    if user is not None:
        client.force_login(user)
    answers = {}
    for route, (template, expected) in PAGES.items():
        answers[route] = (_answer(client.get(_path(template, user, actors))), expected[role])
    wrong = {route: got_expected for route, got_expected in answers.items() if got_expected[0] != got_expected[1]}
    assert wrong == {}, "route: (answer, expected)"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_answer_the_matrix_gives_from_every_endpoint_with_a_token(client, actors, role):
    from kotacerdas.accounts.services import create_token

    user = actors[role]
    headers = {}
    if user is not None:
        _token, secret = create_token(user, "matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    wrong = {}
    for (method, route), (template, expected) in API.items():
        response = client.generic(method, _path(template, user, actors), **headers)
        if response.status_code != expected[role]:
            wrong[route] = (response.status_code, expected[role])
    assert wrong == {}, "route: (answer, expected)"


# Objects outside a role's scope, asked by every role: another assessor's assignment (frank's
# candidate, Barito Kuala; the assessor of the matrix, bob, assesses Tanah Laut) on the page and
# through the API. The assessor gets 404, as if it did not exist; nobody else passes the
# permission check (the ministry reads the scores but does not enter them).
OUT_OF_SCOPE = {
    ("GET", "/assessment/{other_assignment}/"): {**everyone(FORBIDDEN), "public": LOGIN, "assessor": NOT_FOUND},
    ("POST", "/assessment/{other_assignment}/"): {**everyone(FORBIDDEN), "public": LOGIN, "assessor": NOT_FOUND},
    ("GET", "/api/v1/assessment/assignments/{other_assignment}/scores"): {
        **everyone(FORBIDDEN), "public": UNAUTHORIZED, "ministry": OK, "assessor": NOT_FOUND,
    },
    ("PUT", "/api/v1/assessment/assignments/{other_assignment}/scores"): {
        **everyone(FORBIDDEN), "public": UNAUTHORIZED, "assessor": NOT_FOUND,
    },
    # The audit dossier of an unpublished evaluation round: the ministry's; 404 for the rest.
    ("GET", "/regions/63.03/dossier/evaluation/2033/2/"): {**everyone(NOT_FOUND), "ministry": OK},
    ("GET", "/regions/63.03/dossier/evaluation/2033/2.pdf"): {**everyone(NOT_FOUND), "ministry": OK},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_objects_outside_its_scope(client, actors, role):
    from kotacerdas.accounts.services import create_token

    user = actors[role]
    headers = {}
    if user is not None:
        client.force_login(user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'matrix')[1]}"}
    wrong = {}
    body = '{"scores": [{"aspect": "budget", "value": 5, "comment": ""}], "submit": true}'
    for (method, template), expected in OUT_OF_SCOPE.items():
        path = _path(template, user, actors)
        if path.startswith("/api/"):
            response = client.generic(method, path, body, content_type="application/json", **headers)
        else:
            response = client.generic(method, path, "score-1=5", content_type="application/x-www-form-urlencoded")
        if _answer(response) != expected[role]:
            wrong[(method, template)] = (_answer(response), expected[role])
    assert wrong == {}, "(method, path): (answer, expected)"
    from kotacerdas.assessment.models import Score

    assert not Score.objects.filter(assignment_id=actors["_ids"]["other_assignment"]).exists()


def test_an_assessor_reads_the_panels_scores_of_a_candidate_only_after_submitting_their_own(client, actors):
    """The visibility rule, asked the way a script would: bob's candidate has grace's submitted
    scores; bob's API answer holds only his own until he submits, then the panel's."""
    from kotacerdas.accounts.services import create_token
    from kotacerdas.assessment.models import PanelAssignment
    from kotacerdas.assessment.tests.conftest import score_all

    bob = actors["assessor"]
    mine = PanelAssignment.objects.get(pk=actors["_ids"]["bob_assignment"])
    grace = PanelAssignment.objects.get(panel=mine.panel, region=mine.region, assessor__user__username="grace")
    score_all(grace, 2)
    score_all(mine, 4, submit=False)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(bob, 'matrix')[1]}"}
    url = f"/api/v1/assessment/assignments/{mine.pk}/scores"
    before = client.get(url, **headers).json()
    assert before and {row["assessor"] for row in before} == {"bob"}
    score_all(mine, 4)
    after = client.get(url, **headers).json()
    assert {row["assessor"] for row in after} == {"bob", "grace"}


def test_a_browser_session_reads_the_signed_in_endpoints_too(client, actors):
    client.force_login(actors["operator"])
    assert client.get("/api/v1/accounts/me").json()["regions"] == ["63.03"]


def _project_views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from _project_views(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


# Pages of the project that deliberately carry no action: the login and password-reset pages
# (Django's own views, reachable by everyone by their nature) and the API, whose operations
# declare their permission through ApiPermission and are walked in API above.
NO_ACTION_NEEDED = ("accounts/login/", "accounts/logout/", "accounts/password", "api/v1/")


def test_every_page_of_the_project_names_its_action_in_the_one_permission_table():
    from kotacerdas.accounts.permissions import RULES

    missing = []
    for route, callback in _project_views():
        module = getattr(callback, "__module__", "") or ""
        view_class = getattr(callback, "view_class", None)
        if view_class is not None:
            module = view_class.__module__
        if not module.startswith("kotacerdas") or route.startswith(NO_ACTION_NEEDED):
            continue
        action = getattr(callback, "permission_action", None) or getattr(view_class, "permission_action", None)
        if action not in RULES:
            missing.append(route)
    assert missing == [], "decorate these views with accounts.permissions.permission(action)"


# The blocks of the public reports pages each role reads (reports/profile.py, reports/dossier.py):
# (page, what marks the block) -> shown to the role or not. Banjar's profile: the draft master
# plan (v2) and other work in progress marked "not public" for the ministry and Banjar's operator
# only, the published round's dossier link for everyone (the unpublished round's, ministry only,
# is tested in reports/tests/test_round_dossier.py: Banjar has no result in it here); the dossiers: the full version (names of assessors, authors of changes, signatories) for the
# ministry, the public version for everyone else.
FULL_DOSSIER, PUBLIC_DOSSIER = "Full version (ministry)", "Public version: personal data left out"
BLOCKS = {
    ("/regions/63.03/", 'data-section="timeline"'): everyone(True),
    ("/regions/63.03/", "Master plan version 2 started"): {**everyone(False), "ministry": True, "operator": True},
    ("/regions/63.03/", '<span class="private-badge">'): {**everyone(False), "ministry": True, "operator": True},
    ("/regions/63.03/", "/regions/63.03/dossier/evaluation/2033/1/"): everyone(True),
    ("/regions/63.03/dossier/2018/", FULL_DOSSIER): {**everyone(False), "ministry": True},
    ("/regions/63.03/dossier/2018/", PUBLIC_DOSSIER): {**everyone(True), "ministry": False},
    ("/regions/63.03/dossier/evaluation/2033/1/", FULL_DOSSIER): {**everyone(False), "ministry": True},
    ("/regions/63.03/dossier/evaluation/2033/1/", PUBLIC_DOSSIER): {**everyone(True), "ministry": False},
    ("/regions/63.03/dossier/evaluation/2033/1/", "Dewan Smart City aktif"): everyone(True),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_blocks_of_the_reports_the_matrix_gives(client, actors, role):
    user = actors[role]
    if user is not None:
        client.force_login(user)
    pages = {path: client.get(path) for path in {path for path, _marker in BLOCKS}}
    assert {path: response.status_code for path, response in pages.items()} == dict.fromkeys(pages, OK)
    wrong = {}
    for (path, marker), expected in BLOCKS.items():
        shown = marker in pages[path].content.decode()
        if shown != expected[role]:
            wrong[(path, marker)] = (shown, expected[role])
    assert wrong == {}, "(page, block): (shown, expected)"

"""Every action a page offers has an API operation (issue #22): NetBox's rule, anything the
interface can do, the API can do.

The test walks the project's URL patterns, takes every page whose view handles POST (a page
action), and looks it up in PAGE_TO_API: page URL name -> the operation ids of its API twins.
A page action missing from the table fails at once; one listed as a twin must exist in the
OpenAPI document and, where both declare one, take the same permission action.

``test_every_page_action_has_an_api_twin`` fails on a page action listed without a twin ([]).
"""

import inspect

from django.urls import URLPattern, URLResolver, get_resolver

# Pages that are not program actions: Django's admin (a superuser's back office over the same
# models), signing in and out, the password reset and the language switch.
NOT_PROGRAM_ACTIONS = ("admin/", "accounts/login/", "accounts/logout/", "accounts/password", "i18n/", "api/")

P = "kotacerdas_"
PAGE_TO_API = {
    # selection
    "program:phase-new": [P + "program_api_create_phase"],
    "screening:run-new": [P + "screening_api_create_run"],
    "screening:rules": [P + "screening_api_add_rule"],
    "screening:rule-delete": [P + "screening_api_delete_rule"],
    "screening:checklist": [P + "screening_api_put_checklist"],
    "screening:checklist-import": [P + "screening_api_import_checklist"],
    "screening:confirm": [P + "screening_api_confirm_run"],
    "regions:agency-import": [P + "regions_api_post_agency_import"],
    "regions:agencies": [P + "regions_api_post_agency", P + "regions_api_put_agency", P + "regions_api_delete_agency",
                         P + "regions_api_post_default_agencies"],
    "indicators:import": [P + "indicators_api_import_indicator_values"],
    "accounts:account": [P + "accounts_api_put_settings"],
    "accounts:token-list": [P + "accounts_api_post_token"],
    "accounts:token-revoke": [P + "accounts_api_delete_token"],
    "accounts:user-import": [P + "accounts_api_import_users"],
    "accounts:user-deactivate": [P + "accounts_api_deactivate"],
    "questionnaires:forms": [P + "questionnaires_api_import_form"],
    "questionnaires:form": [P + "questionnaires_api_attach_form"],
    "questionnaires:progress": [P + "questionnaires_api_extend_deadline"],
    "questionnaires:fill": [P + "questionnaires_api_save_submission"],
    "questionnaires:evidence-upload": [P + "questionnaires_api_upload_evidence"],
    "questionnaires:review": [P + "questionnaires_api_return_submission", P + "questionnaires_api_accept_submission"],
    "assessment:score": [P + "assessment_api_put_scores"],
    "assessment:assessors": [P + "assessment_api_declare_conflict"],
    "assessment:panels": [P + "assessment_api_open_panel"],
    "assessment:panel": [P + "assessment_api_set_panel_state", P + "assessment_api_assign_panel", P + "assessment_api_swap_assessor",
                         P + "assessment_api_schedule_session", P + "assessment_api_update_aspect"],
    "assessment:selection": [P + "assessment_api_propose_selection", P + "assessment_api_confirm_selection"],
    "assessment:mou": [P + "assessment_api_record_mou"],
    # mentoring
    "mentoring:home": [P + "mentoring_api_post_cohort"],
    "mentoring:cohort": [P + "mentoring_api_post_assignments", P + "mentoring_api_post_swap"],
    "mentoring:bimtek": [P + "mentoring_api_put_bimtek"],
    "mentoring:region": [P + "mentoring_api_post_attendance", P + "mentoring_api_post_note", P + "mentoring_api_post_output"],
    "mentoring:institutions": [P + "mentoring_api_post_council_member"],
    # master plans
    "masterplans:region": [P + "masterplans_api_create_plan"],
    "masterplans:plan-edit": [P + "masterplans_api_add_program"],
    "masterplans:program-delete": [P + "masterplans_api_delete_program"],
    "masterplans:transition": [P + "masterplans_api_plan_submit", P + "masterplans_api_plan_return", P + "masterplans_api_plan_forward",
                               P + "masterplans_api_plan_approve", P + "masterplans_api_plan_new_version"],
    "masterplans:adopt": [P + "masterplans_api_adopt_plan"],
    "masterplans:comment": [P + "masterplans_api_add_comment"],
    "masterplans:resolve": [P + "masterplans_api_resolve_comment"],
    "masterplans:import": [P + "masterplans_api_import_programs"],
    "masterplans:progress": [P + "masterplans_api_report_progress"],
    # evaluation
    "evaluation:import": [P + "evaluation_api_store_results"],
    "evaluation:weights": [P + "evaluation_api_set_weights"],
    "evaluation:publish": [P + "evaluation_api_publish"],
    "evaluation:correct": [P + "evaluation_api_correct"],
    "evaluation:finding": [P + "evaluation_api_add_finding"],
    "evaluation:objection": [P + "evaluation_api_file_objection"],
    "evaluation:follow-up": [P + "evaluation_api_answer_follow_up"],
    "evaluation:verification": [P + "evaluation_api_put_verification_scores"],
    "evaluation:verification-panel": [P + "evaluation_api_start_verification"],
    "evaluation:verification-results": [P + "evaluation_api_store_verification_results"],
    "evaluation:verification-interview": [P + "evaluation_api_schedule_interview"],
    # public reports
    "reports:phase-dossiers": [P + "reports_api_phase_dossiers"],
}


def _patterns(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if namespace and entry.namespace:
                inner = f"{namespace}:{entry.namespace}"
            yield from _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback


def _handles_post(callback):
    view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return False
    return "POST" in source or "def post" in source or "request.method" in source


def page_actions():
    return sorted({name for route, name, callback in _patterns()
                   if not route.startswith(NOT_PROGRAM_ACTIONS) and _handles_post(callback)})


def api_operations():
    """operation id -> the permission action its ApiPermission checks (None for a public one)."""
    from kotacerdas.accounts.permissions import ApiPermission
    from kotacerdas.api import api

    operations = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                actions = [auth.action for auth in (operation.auth_callbacks or []) if isinstance(auth, ApiPermission)]
                operations[api.get_openapi_operation_id(operation)] = actions[0] if actions else None
    return operations


def test_every_page_action_is_in_the_table():
    unmapped = [name for name in page_actions() if name not in PAGE_TO_API]
    assert unmapped == [], "add these page actions to PAGE_TO_API with their API twins"
    stale = [name for name in PAGE_TO_API if name not in page_actions()]
    assert stale == [], "these pages no longer take actions: remove them from PAGE_TO_API"


def test_the_twins_exist_and_take_the_pages_permission_action():
    operations = api_operations()
    callbacks = {name: callback for _route, name, callback in _patterns()}
    for page, twins in PAGE_TO_API.items():
        callback = callbacks[page]
        page_action = getattr(callback, "permission_action", None) or getattr(getattr(callback, "view_class", None), "permission_action", None)
        for twin in twins:
            assert twin in operations, f"{page}: no operation {twin} in the OpenAPI document"
            api_action = operations[twin]
            assert api_action is not None, f"{twin} (twin of {page}) takes no permission action"
            if page_action is not None and page_action == api_action:
                continue
            # A page that shows and acts (a plan's workflow: submit, return, approve) is guarded by
            # its viewing action and checks the finer one inside; its twin takes the finer one.
            assert page_action is not None and page_action.startswith("view_"), (page, page_action, twin, api_action)


MISSING = sorted(page for page, twins in PAGE_TO_API.items() if not twins)


def test_every_page_action_has_an_api_twin():
    assert MISSING == [], f"{len(MISSING)} page actions without an API twin: {', '.join(MISSING)}"

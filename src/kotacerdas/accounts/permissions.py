"""The one permission mechanism: which role may do which action, and which objects it reaches.

Every page and every API endpoint names an *action*; :data:`RULES` says which roles may take it.
Pages use :func:`permission` (a decorator), API operations use :class:`ApiPermission` (a
django-ninja auth), both through :func:`has_permission`. Objects are narrowed per role by
:func:`scope`, which calls the function registered for the model with :func:`scoper`; later apps
register theirs (assessment: an assessor reaches only the candidates assigned to them; mentoring:
a mentor only their regions) without touching this module.

Pseudo-roles: ``PUBLIC`` is everyone, logged in or not; ``SIGNED_IN`` is every active account.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from .models import Role

PUBLIC = "public"
SIGNED_IN = "signed_in"
MINISTRY, ASSESSOR, MENTOR, OPERATOR = Role.MINISTRY, Role.ASSESSOR, Role.MENTOR, Role.OPERATOR

# The one table of who may do what. Add an action here before using it on a page or endpoint.
RULES = {
    "view_public": {PUBLIC},
    "view_own_account": {SIGNED_IN},
    "view_own_notifications": {SIGNED_IN},
    "manage_own_tokens": {SIGNED_IN},
    # A region's profile names its operators (personal data): that region's operators and the
    # ministry only, narrowed to their own region by the Region scoper.
    "view_region_profile": {MINISTRY, OPERATOR},
    "view_change_history": {MINISTRY},
    "manage_program": {MINISTRY},
    "view_workspace": {SIGNED_IN},
    "manage_accounts": {MINISTRY},
    # Names, e-mail addresses and phone numbers of other people (UU PDP 27/2022).
    "view_personal_data": {MINISTRY},
    # Assessment and selection: the ministry runs the panel and sees every score; an assessor
    # reaches only their own assignments (PanelAssignment and Score scopers), and another assessor's
    # scores of a candidate only after submitting their own; the confirmed decision is public.
    "manage_panel": {MINISTRY},
    "view_all_scores": {MINISTRY},
    "score_candidates": {ASSESSOR},
    "view_assignments": {MINISTRY, ASSESSOR},
    "view_published_selection": {PUBLIC},
    # The signed MoU document: the ministry and the signing region's operators (Mou scoper).
    "view_mou_document": {MINISTRY, OPERATOR},
    # Screening (indicators, eligibility, ranking runs): the ministry imports, runs and invites;
    # everyone reads the catalogue and the results of a confirmed run (ScreeningRun scoper).
    "manage_indicators": {MINISTRY},
    "run_screening": {MINISTRY},
    # The eligibility rules of a phase and each region's administrative checklist; refused once
    # the phase has a confirmed run (screening.rules).
    "manage_eligibility": {MINISTRY},
    "view_screening_results": {PUBLIC},
    # Questionnaires: the ministry imports forms, attaches them to phases and reviews; a region
    # operator fills their own region's submissions only (questionnaires.scoping). An assessor
    # reads the evidence of a submitted questionnaire of a candidate assigned to them through the
    # assessment (score_candidates, assessment.views.candidate_evidence).
    "manage_forms": {MINISTRY},
    "review_submissions": {MINISTRY},
    "fill_questionnaire": {OPERATOR},
    "view_evidence": {MINISTRY, OPERATOR},
    # Master plans: adopted plans and the program library are public, other versions only to the
    # ministry and the region's operators and mentors (masterplans.scoping); operators write their
    # own region's drafts (an agency-scoped grant: only that agency's programs); mentors of the
    # region review and comment, never edit; the ministry approves and records adoption.
    "view_masterplans": {PUBLIC},
    "edit_masterplans": {OPERATOR},
    "review_masterplans": {MENTOR},
    "comment_masterplans": {MINISTRY, MENTOR, OPERATOR},
    "approve_masterplans": {MINISTRY},
    # Yearly progress of an adopted plan's programs: the owning agency reports (an operator whose
    # grant names the agency, or the region's operator); the ministry and the region's operators
    # and mentors read it (masterplans.scoping).
    "view_progress": {MINISTRY, MENTOR, OPERATOR},
    "report_progress": {OPERATOR},
    # Agencies (OPD) of a region: its operators keep their own list (Region scoper), the ministry
    # imports lists for many regions. Who edits an agency's programs: may_edit_agency_work.
    "manage_agencies": {MINISTRY, OPERATOR},
    "import_agencies": {MINISTRY},
    # Mentoring: the ministry runs cohorts, mentors, assignments and Bimtek schedules; a mentor
    # reaches only the regions assigned to them, an operator only their own region
    # (mentoring.scoping); notes are read by the region, its mentors and the ministry.
    "manage_mentoring": {MINISTRY},
    "view_mentoring": {MINISTRY, MENTOR, OPERATOR},
    "write_mentor_notes": {MENTOR},
    "upload_outputs": {OPERATOR},
    "record_attendance": {MINISTRY, MENTOR, OPERATOR},
    "view_mentor_calendar": {MINISTRY, MENTOR},
    # Regional institutions (Dewan Smart City, Tim Pelaksana, secretariat, forums): kept by the
    # region's operator; names and positions come from public decrees, contact details do not.
    "manage_institutions": {MINISTRY, OPERATOR},
    # Evaluation: the ministry runs the rounds (weights, import, publication, corrections); results
    # are public once published (EvaluationRound and Result scopers); a region operator reads their
    # own region's letter and findings after publication, answers its follow-up items and may
    # object within the window; an assessor writes findings for the regions assigned to them.
    "view_evaluation_results": {PUBLIC},
    "manage_evaluation": {MINISTRY},
    "view_own_evaluation": {MINISTRY, OPERATOR},
    "answer_follow_up": {OPERATOR},
    "file_objection": {OPERATOR},
    # Operations: a background task's progress page and its file, for whoever asked for it (and
    # the ministry: kotacerdas.views.task_progress); the Prometheus metrics for the ministry, or
    # without login from the networks in KOTACERDAS_METRICS_NETWORKS.
    "view_own_tasks": {SIGNED_IN},
    "view_metrics": {MINISTRY},
}


def roles_of(user):
    """The roles a user holds now, pseudo-roles included (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset({PUBLIC})
    cached = getattr(user, "_kotacerdas_roles", None)
    if cached is None:
        roles = {PUBLIC, SIGNED_IN, *user.role_grants.values_list("role", flat=True)}
        # Django's superuser is the ministry admin (the demo's and the installer's first account).
        if user.is_superuser:
            roles.add(MINISTRY)
        cached = user._kotacerdas_roles = frozenset(roles)
    return cached


def operator_region_ids(user):
    """The regions a user operates, as ids (empty for anyone who is not an operator)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_kotacerdas_regions", None)
    if cached is None:
        cached = user._kotacerdas_regions = set(
            user.role_grants.filter(role=OPERATOR).values_list("region_id", flat=True)
        )
    return cached


def may_edit_agency_work(user, agency):
    """Whether ``user`` may edit the programs and progress reports owned by ``agency`` (master
    plans and evaluation call this): the ministry; an operator of the agency's region whose grant
    names no agency (the whole region) or names this one. An operator whose grant names another
    agency may not."""
    if agency is None or not user.is_authenticated or not user.is_active:
        return False
    if MINISTRY in roles_of(user):
        return True
    grants = user.role_grants.filter(role=OPERATOR, region_id=agency.region_id)
    return grants.filter(agency__isnull=True).exists() or grants.filter(agency_id=agency.pk).exists()


def has_permission(user, action, obj=None):
    """Whether ``user`` may take ``action`` (on ``obj`` when given: the object must be in scope)."""
    try:
        allowed = RULES[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}: add it to accounts.permissions.RULES") from None
    if not allowed & roles_of(user):
        return False
    if obj is None:
        return True
    model = type(obj)
    return scope(model._default_manager.filter(pk=obj.pk), user, action).exists()


_SCOPERS = {}


def scoper(model):
    """Register ``function(queryset, user, action, roles)`` as the scoping rule of ``model``."""

    def register(function):
        _SCOPERS[model] = function
        return function

    return register


def scope(queryset, user, action):
    """The objects of ``queryset`` that ``user`` may take ``action`` on.

    Without the action's role: nothing. With a scoper registered for the model: what it keeps.
    Without one: everything for a public action or the ministry, nothing otherwise (deny by
    default, so a new model is never exposed by accident).
    """
    if not has_permission(user, action):
        return queryset.none()
    roles = roles_of(user)
    function = _SCOPERS.get(queryset.model)
    if function is not None:
        return function(queryset, user, action, roles)
    if PUBLIC in RULES[action] or MINISTRY in roles:
        return queryset
    return queryset.none()


def permission(action):
    """Page decorator: visitors are sent to the login page, signed-in users without the role
    get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_permission(request.user, action):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.permission_action = action
        return wrapper

    return decorator


# --- the API side of the same mechanism -------------------------------------------------------

from ninja.errors import HttpError  # noqa: E402
from ninja.security import HttpBearer  # noqa: E402


def token_from_request(request, secret):
    """The live API token ``secret`` is, or None; a bad one counts against the client's address,
    which past the limit (settings.KOTACERDAS_THROTTLES["bad_token"]) gets 429 for the rest of
    the window, good tokens included, as a locked-out login does."""
    from . import throttle
    from .services import token_for_secret

    address = throttle.client_address(request)
    if throttle.blocked("bad_token", address):
        raise HttpError(429, gettext("Too many bad tokens from your address; try again later."))
    token = token_for_secret(secret.strip())
    if token is None:
        throttle.hit("bad_token", address, throttle.limits("bad_token")[1])
    return token


def bearer_token(request):
    """The secret of an ``Authorization: Bearer <token>`` header, or None without one."""
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip()


def api_user(request):
    """The caller of a public API endpoint: a valid bearer token's owner, else the session's user
    (anonymous without either). A bad token counts towards the client's throttle."""
    secret = bearer_token(request)
    token = token_from_request(request, secret) if secret is not None else None
    return token.user if token is not None else request.user


class ApiPermission(HttpBearer):
    """django-ninja auth for one action: a script sends ``Authorization: Bearer <token>``; a
    browser's session works for reading (writes need a token, so no CSRF question arises).

    No credentials: 401. Credentials without the action's role: 403.
    """

    def __init__(self, action):
        if action not in RULES:
            raise ValueError(f"unknown action {action!r}: add it to accounts.permissions.RULES")
        self.action = action
        super().__init__()

    def __call__(self, request):
        secret = bearer_token(request)
        if secret is not None:
            token = token_from_request(request, secret)
            if token is None:
                return None
            if token.read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
                raise HttpError(403, gettext("This token is read-only."))
            user = request.user = token.user
        elif request.method in ("GET", "HEAD", "OPTIONS") and request.user.is_authenticated:
            user = request.user
        else:
            return None
        if not has_permission(user, self.action):
            raise HttpError(403, gettext("You do not have permission to do this."))
        return user

    def authenticate(self, request, token):  # pragma: no cover - __call__ does the work
        return None


"""The JSON API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Every error is answered as one JSON shape, ``{"detail", "code", "errors": [{"field", "message",
"code"}]}``, in the caller's language, never as an HTML page.
"""

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError as NinjaValidationError

from kotacerdas import __version__
from kotacerdas.lib.api import ErrorOut, StrictParser, error_body, validation_errors

class DocumentedNinjaAPI(NinjaAPI):
    """The API whose document also lists the error answers every endpoint can give, so that a
    client (or a fuzzer checking the document) meets no undocumented status: 401 and 403 where an
    endpoint needs credentials, 404 where a path names an object, 405 for another method, 413 for
    a body too large, 400/409/422 for refused input; every one is the ErrorOut shape."""

    ERRORS = {
        "400": "The request was understood but refused: the errors name the field, row or column.",
        "409": "The request conflicts with the current state (already decided, already exists).",
        "422": "A parameter or the body does not match the schema: the errors name the field.",
        "401": "No credentials, or a bad, revoked or expired token.",
        "403": "The credentials do not allow this action (or the token is read-only).",
        "404": "No such object, or not one the caller may see.",
        "405": "The path does not take this method.",
        "413": "The request body is too large.",
        "429": "Too many bad tokens from the caller's address.",
    }

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        # The shared error schema, whether or not an operation named it itself.
        generated = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in generated.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
        schemas.setdefault("ErrorOut", generated)
        reference = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                wanted = ["405", "429"]
                if operation.get("security"):
                    wanted += ["401", "403"]
                if "{" in path:
                    wanted.append("404")
                if operation.get("parameters") or "requestBody" in operation:
                    wanted.append("422")
                if method in ("post", "put", "patch", "delete"):
                    wanted += ["400", "409", "413"]
                for status in wanted:
                    # Django answers 405 itself, with an Allow header and no body.
                    body = {} if status == "405" else reference
                    operation["responses"].setdefault(int(status), {"description": self.ERRORS[status], **body})
        return schema


api = DocumentedNinjaAPI(
    title="kotacerdas API",
    version=__version__,
    description="Regions, phases and the program's decisions. Public endpoints need no login.",
    urls_namespace="api",
    parser=StrictParser(),
)


def error_response(request, status, errors):
    """The error answer (kotacerdas.lib.api.ErrorOut): ``errors`` is a list of (field or None, message)."""
    return api.create_response(request, error_body(status, errors), status=status)


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def _not_found(request, exc):
    """A translated message naming what was not found (Django's own texts are English and name
    the query: "Region matching query does not exist")."""
    if isinstance(exc, Http404) and str(exc) and not str(exc).endswith("matches the given query."):
        return error_response(request, 404, [(None, str(exc))])  # our own, translated
    model = next((m for m in apps.get_models() if isinstance(exc, m.DoesNotExist)), None)
    if model is not None:
        detail = _("No %(what)s with this code or id: check the address.") % {"what": model._meta.verbose_name}
    else:
        detail = _("Not found: check the code or id in the address.")
    return error_response(request, 404, [(None, detail)])


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return error_response(request, 400, validation_errors(exc))


def _pydantic_message(error):
    """Pydantic's English message as the Django text (translated by Django's catalogues) of the
    same kind of mistake."""
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Enter a number.") if kind.endswith("parsing") or kind.endswith("type") else _("Enter a valid value.")
    return _("Enter a valid value.")


@api.exception_handler(NinjaValidationError)
def _invalid_request(request, exc):
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        errors.append((".".join(location) or None, _pydantic_message(error)))
    return error_response(request, 422, errors or [(None, _("Enter a valid value."))])


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = str(exc)
    if isinstance(exc, AuthenticationError) or exc.status_code == 401:
        message = _("Sign in or send an API token: Authorization: Bearer <token>.")
    return error_response(request, exc.status_code, [(None, message)])


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return error_response(request, 413, [(None, _("The request body is too large."))])


@api.exception_handler(IntegrityError)
def _conflict(request, exc):
    # Two writes racing for the same unique value: the later one learns it conflicts.
    return error_response(request, 409, [(None, _("This conflicts with something already saved; reload and try again."))])


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request, exc):
    # A number or text beyond what a column holds that no schema bounded: the client's fault, not
    # the server's (the schemas bound what they know; this keeps the rest from being a 500).
    return error_response(request, 400, [(None, _("A value is out of the range the platform accepts."))])


@api.exception_handler(Exception)
def _server_error(request, exc):
    import logging

    logging.getLogger("kotacerdas.api").exception("API error")
    return error_response(request, 500, [(None, _("Internal server error"))])


from kotacerdas.program.api import regions_router  # noqa: E402
from kotacerdas.program.api import router as program_router  # noqa: E402

api.add_router("/regions", regions_router)
from kotacerdas.regions.api import router as agencies_router  # noqa: E402

api.add_router("/regions", agencies_router)
api.add_router("/phases", program_router)

# Signed-in endpoints authenticate with `Authorization: Bearer <token>` (or a browser session for
# reading); see kotacerdas.accounts.permissions.ApiPermission.
from kotacerdas.accounts.api import router as accounts_router  # noqa: E402

api.add_router("/accounts", accounts_router)

from kotacerdas.indicators.api import indicators_router, values_router  # noqa: E402
from kotacerdas.screening.api import router as screening_router  # noqa: E402

api.add_router("/indicators", indicators_router)
api.add_router("/indicator-values", values_router)
api.add_router("/phases", screening_router)

from kotacerdas.questionnaires.api import router as questionnaires_router  # noqa: E402

api.add_router("/questionnaires", questionnaires_router)

from kotacerdas.assessment.api import router as assessment_router  # noqa: E402

api.add_router("/assessment", assessment_router)

from kotacerdas.masterplans.api import regions_router as masterplans_regions_router  # noqa: E402
from kotacerdas.masterplans.api import router as masterplans_router  # noqa: E402
from kotacerdas.masterplans.api import taxonomy_router  # noqa: E402

api.add_router("/regions", masterplans_regions_router)
api.add_router("/masterplans", masterplans_router)
api.add_router("/taxonomy", taxonomy_router)
from kotacerdas.mentoring.api import cohort_router, institutions_router  # noqa: E402
from kotacerdas.mentoring.api import router as mentoring_router  # noqa: E402

api.add_router("/phases", cohort_router)
api.add_router("/regions", institutions_router)
api.add_router("/mentoring", mentoring_router)
from kotacerdas.evaluation.api import router as evaluation_router  # noqa: E402

api.add_router("/evaluation", evaluation_router)
from kotacerdas.site.api import router as workspace_router  # noqa: E402

api.add_router("/me", workspace_router)
from kotacerdas.reports.api import router as reports_router  # noqa: E402

api.add_router("/reports", reports_router)

"""Language choice: Bahasa Indonesia unless the visitor asked for another language.

Django's LocaleMiddleware also follows the browser's Accept-Language header, which would show
English to most Indonesian users, whose browsers are set to English. The program's language is
Indonesian, so only an explicit choice counts: the language switch on every page (a cookie) or
``?lang=en`` in a link. The JSON API under /api/ is the exception: a script's Accept-Language
header is its explicit choice (a browser does not call the API by itself), so there it counts.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ExplicitLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        available = dict(settings.LANGUAGES)
        code = request.GET.get("lang") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in available and request.path.startswith("/api/"):
            code = _accepted(request.headers.get("Accept-Language", ""), available)
        if code not in available:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


def _accepted(header, available):
    """The first language of an Accept-Language header the platform speaks, or None."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    for language, _quality in parse_accept_lang_header(header):
        base = language.split("-")[0].lower()
        if base in available:
            return base
    return None


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (settings.PERMISSIONS_POLICY); Django sets no such header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class RequestSizeMiddleware:
    """Answers 413 to a request body larger than the platform takes, before anything reads it.

    A form or JSON body may hold ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (Django's 2.5 MB: a whole
    questionnaire's answers fit many times over); a file upload ``UPLOAD_MAX_BYTES`` (the largest
    kind of file plus the form around it). Without this, Django reads the body and fails on it
    later, as a 400 on a page or a 500 in the API.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.UPLOAD_MAX_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return self._too_large(request, length, limit)
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        # A multipart form within the upload limit may still carry a text field over the form
        # limit; Django finds out only when the form is read. Read it here, before the CSRF check
        # and the view, so that the answer is 413 and not a 400 or a half-handled request.
        from django.core.exceptions import RequestDataTooBig
        from django.http.multipartparser import MultiPartParserError

        if request.method == "POST" and request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            try:
                request.POST  # noqa: B018 (reads the body)
            except RequestDataTooBig:
                return self._too_large(request, int(request.META.get("CONTENT_LENGTH") or 0),
                                       settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            except MultiPartParserError:
                # A multipart body without a (valid) boundary: the API answers its one error
                # shape; a page keeps Django's 400.
                if request.path.startswith("/api/"):
                    return self._api_error(request, 400, _multipart_message())
                raise
        return None

    @staticmethod
    def _api_error(request, status, message):
        from django.http import JsonResponse

        from kotacerdas.lib.api import error_body

        return JsonResponse(error_body(status, [(None, message)]), status=status)

    @staticmethod
    def _too_large(request, length, limit):
        from django.http import HttpResponse
        from django.utils.translation import gettext as _

        message = _("The request is too large (%(size)s MB; at most %(limit)s MB).") % {
            "size": round(length / 2**20, 1), "limit": round(limit / 2**20, 1)}
        if request.path.startswith("/api/"):
            return RequestSizeMiddleware._api_error(request, 413, message)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")

    def process_exception(self, request, exception):
        """A number or text beyond what a database column holds that no form bounded: 400, not 500.
        (Forms bound what they know, see kotacerdas.lib.inputs; this is the net under them.)"""
        from django.db import DataError
        from django.http import HttpResponseBadRequest
        from django.utils.translation import gettext as _

        if isinstance(exception, (OverflowError, DataError)):
            return HttpResponseBadRequest(_("A value is out of the range the platform accepts."),
                                          content_type="text/plain; charset=utf-8")
        return None


def _multipart_message():
    from django.utils.translation import gettext as _

    return _("The body is not a multipart form that can be read: send Content-Type: multipart/form-data with its "
             "boundary (as an HTTP client does when given files).")

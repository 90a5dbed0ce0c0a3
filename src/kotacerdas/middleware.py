"""Language choice: Bahasa Indonesia unless the visitor asked for another language.

Django's LocaleMiddleware also follows the browser's Accept-Language header, which would show
English to most Indonesian users, whose browsers are set to English. The program's language is
Indonesian, so only an explicit choice counts: the language switch on every page (a cookie) or
``?lang=en`` in a link.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ExplicitLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        available = dict(settings.LANGUAGES)
        code = request.GET.get("lang") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in available:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


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

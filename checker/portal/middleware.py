"""A Content-Security-Policy on every response: no script at all (the portal has none), styles from the portal and
inline (the charts' SVG and the report pages carry their own), nothing framed, forms post only here."""

from __future__ import annotations

POLICY = ("default-src 'none'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        return response


class Language:
    """Chinese unless the person chose English with the switch in the header (the language cookie). The browser's
    Accept-Language is not consulted: the portal's working language is Chinese, whatever the machine says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        code = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response

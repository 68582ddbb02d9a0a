"""Response headers that depend on who asked."""

from django.utils.cache import add_never_cache_headers


class PrivateNoStoreMiddleware:
    """A page shown to a signed-in user (session or API token) is never stored by a
    browser or a proxy: `Cache-Control: no-store, private` and the rest of `never_cache`.
    Anonymous pages (the public notices) and static files (served by WhiteNoise before
    this runs) keep whatever caching they had."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # DRF copies a token-authenticated user onto the Django request, so read it after.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

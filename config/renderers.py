"""The browsable API under the site's Content-Security-Policy."""

from django.conf import settings
from django.utils.csp import CSP
from rest_framework.renderers import BrowsableAPIRenderer


class CspBrowsableAPIRenderer(BrowsableAPIRenderer):
    """DRF's HTML pages carry a <style> block and style="" attributes: on those pages
    only, style-src also allows inline styles. Scripts stay 'self' (DRF loads files)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_config = {
                **settings.SECURE_CSP,
                "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
            }
        return super().render(data, accepted_media_type, renderer_context)

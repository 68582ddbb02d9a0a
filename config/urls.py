from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import views as portal_views


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


# The API docs: Swagger UI's script is served as a file (the split view), so script-src stays
# 'self'; its page template carries one <style> block, hence 'unsafe-inline' for styles here only.
api_docs = csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)


def moved(old: str, new: str):
    """Pages that moved with their app keep answering at the old address (links in
    e-mails already sent, bookmarks): a permanent redirect, query string kept."""
    view = RedirectView.as_view(url=new + "%(rest)s", permanent=True, query_string=True)
    return re_path(rf"^{old}(?P<rest>.*)$", view)


LEGACY = [
    moved("registry/policies/", "/policies/"),
    moved("registry/grants/", "/policies/grants/"),
    moved("registry/resources/", "/resources/"),
    moved("registry/resource-notice/", "/resources/notice/"),
    moved("registry/resource-revisions/", "/resources/revisions/"),
    moved("selection/adjustment/", "/adjustment/"),
    moved("selection/my/adjustments/", "/adjustment/mine/"),
]

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("registry/", include("registry.urls")),
    path("selection/", include("selection.urls")),
    path("adjustment/", include("adjustment.urls")),
    path("policies/", include("policies.urls")),
    path("conditions/", include("conditions.urls")),
    path("resources/", include("resources.urls")),
    path("reports/", include("reports.urls")),
    path("vouchers/", include("vouchers.urls")),
    path("finance/", include("finance.urls")),
    path("scenarios/", include("scenarios.urls")),
    path("notifications/", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    path("reports/exports/", include("reports.exports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    *LEGACY,
]

admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = settings.PORTAL_NAME
handler400 = "config.errors.bad_request"
handler404 = "config.errors.page_not_found"

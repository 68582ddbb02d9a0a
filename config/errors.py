from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.debug import SafeExceptionReporterFilter


class DomainError(Exception):
    """A refused action, with a message for the person who tried it."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)


class ConflictError(DomainError):
    """Refused because other work holds the object now (a job already running, a request
    already pending): the same action may succeed later. The API answers 409."""


class SensitiveDataFilter(SafeExceptionReporterFilter):
    """Error reports hide what views mark with `sensitive_post_parameters` (passwords, bank
    accounts) and `sensitive_variables` always: on the DEBUG page of `make dev` too, which
    Django's filter leaves unfiltered (a shared screen or a pasted traceback is enough)."""

    def is_active(self, request):
        return True


def bad_request(request, exception=None):
    """400 raised outside a view (a body too large, too many fields): JSON in the API's
    error shape under /api/, the friendly page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("提交的数据有误，请检查各字段。")}, status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception=None):
    """404 for a path no URL matches: JSON in the API's error shape under /api/ (an id the
    router cannot match, e.g. one with a dot), the friendly page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return defaults.page_not_found(request, exception)

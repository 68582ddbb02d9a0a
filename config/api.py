"""Shared API plumbing: errors a person can read."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import DomainError


def exception_handler(exc, context):
    """Every API error is JSON with a `detail` sentence, plus `errors` per field."""
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError({"detail": exc.message})
    elif isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到该对象，或您无权查看。"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        body = {"detail": str(data["detail"])}
    else:
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        detail = errors.pop("detail", None) if isinstance(errors, dict) else None
        body = {
            "detail": str(detail) if detail else _("提交的数据有误，请检查各字段。"),
            "errors": errors,
        }
    return Response(body, status=response.status_code, headers=_auth_headers(response))


def _auth_headers(response):
    return {k: v for k, v in response.headers.items() if k in ("WWW-Authenticate", "Retry-After")}

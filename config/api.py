"""Shared API plumbing: errors a person can read."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.constraint_messages import describe_violation
from config.errors import ConflictError, DomainError


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


def exception_handler(exc, context):
    """Every API error is JSON with a `detail` sentence, plus `errors` per field."""
    if isinstance(exc, ConflictError):
        exc = Conflict(exc.message)
    elif isinstance(exc, DomainError):
        # Beside its field too when it names one, as a form shows it next to the field.
        fields = {exc.field: [str(exc.message)]} if exc.field else {}
        exc = exceptions.ValidationError({"detail": exc.message, **fields})
    elif isinstance(exc, IntegrityError) and (known := describe_violation(exc)):
        exc = exceptions.ValidationError(_constraint_errors(*known))
    elif isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(_validation_errors(exc))
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


def _constraint_errors(name, entry) -> dict:
    """The constraint's sentence as the detail, and beside its field when it has one."""
    errors = {"detail": str(entry.message)}
    if entry.fields:
        errors[entry.fields[0]] = [str(entry.message)]
    return errors


def _validation_errors(exc) -> dict:
    """A model ValidationError, with any raw constraint message replaced by its sentence."""
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {"detail": exc.error_list}
    result = {}
    for field, errors in by_field.items():
        for error in errors:
            known = describe_violation(error)
            if known is not None:
                _name, entry = known
                key = entry.fields[0] if entry.fields else field
                text = str(entry.message)
            else:
                key, text = field, " ".join(error.messages)
            key = "non_field_errors" if key == NON_FIELD_ERRORS else key
            result.setdefault(key, []).append(text)
    if set(result) == {"detail"}:
        return {"detail": "；".join(result["detail"])}
    return result


def valid_body(serializer_class, request) -> dict:
    """The request body validated by `serializer_class` (a 400 naming each field otherwise).

    Actions on one object call this after `get_object()`: an id outside the caller's view
    is a 404 whatever the body, so a 400 never tells that the object exists."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data

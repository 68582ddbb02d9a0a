"""Free text that people type has a length fit for its use (issue #8: a 1,000,000-character
description made a staff page 4.6 MB).

`limited_text` is a TextField with `max_length` (forms render and enforce it) and a
MaxLengthValidator (model validation and the API serializers enforce it);
`length_check` is the database check with the same limit, so a path that skips both
(a service fed straight from request.POST) is still refused with the sentence.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# Typical limits (characters; a Chinese character counts one).
NOTE = 1000  # a reason, a reply, a note beside a decision
TEXT = 2000  # a description, a statement, a comment
ESSAY = 5000  # an application essay


def limited_text(verbose_name, max_length: int, **kwargs) -> models.TextField:
    return models.TextField(
        verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs
    )


def length_check(field: str, limit: int, name: str) -> models.CheckConstraint:
    from config.constraint_messages import described  # it imports the limits from here

    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit), **described(name)
    )


def check_length(model, field: str, value: str, constraint: str) -> str:
    """A service's own guard for text that reaches it without a form: the stripped value,
    or a DomainError with the length check's sentence."""
    from config.constraint_messages import message_for
    from config.errors import DomainError

    value = (value or "").strip()
    if len(value) > model._meta.get_field(field).max_length:
        raise DomainError(str(message_for(constraint)), field=field)
    return value


def fit_text(model, field: str, value: str, *, as_field: str | None = None) -> str:
    """A service's guard for text bound for a CharField that reaches it without a form
    (a view passing request.POST on, an action): the stripped value, or a DomainError with
    one sentence. SQLite does not enforce `max_length` and PostgreSQL fails the request, so
    without it the two databases answer the same input differently. `as_field` names the
    input as the form or the API calls it (default: `field`)."""
    from django.utils.translation import gettext as _

    from config.errors import DomainError

    value = (value or "").strip()
    model_field = model._meta.get_field(field)
    if len(value) > model_field.max_length:
        raise DomainError(
            _("%(label)s最多 %(limit)d 个字，现为 %(count)d 个字。")
            % {
                "label": model_field.verbose_name,
                "limit": model_field.max_length,
                "count": len(value),
            },  # fmt: skip
            field=as_field or field,
        )
    return value

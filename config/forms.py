from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import TemplatesSetting

from config.constraint_messages import describe_violation
from config.errors import DomainError


def add_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal on the form field it concerns (or on top)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


class ConstraintMessagesMixin:
    """A ModelForm whose database-constraint errors read as sentences beside their field.

    `validate_constraints` (Django's ModelForm check of the model's constraints) raises
    the constraint's violation message as a form-wide error; here each one the central
    mapping (config.constraint_messages) knows becomes its sentence, on its field(s).
    """

    def validate_constraints(self):
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as exc:
            self._update_errors(place_constraint_errors(exc, self))


def place_constraint_errors(exc: ValidationError, form) -> ValidationError:
    """Re-key the constraint errors in `exc` onto the form fields they concern."""
    placed: dict[str, list] = {}
    for key, errors in exc.update_error_dict({}).items():
        for error in errors:
            known = describe_violation(error)
            if known is None:
                placed.setdefault(key, []).append(error)
                continue
            name, entry = known
            for field in _fields_for(entry, form) or [NON_FIELD_ERRORS]:
                placed.setdefault(field, []).append(ValidationError(entry.message, code=name))
    return ValidationError(placed)


def _fields_for(entry, form) -> list[str]:
    fields = [f for f in entry.fields if f in form.fields]
    if entry.non_negative:
        data = getattr(form, "cleaned_data", {})
        negative = [f for f in fields if data.get(f) is not None and data[f] < 0]
        return negative or fields[:1]
    return fields[:1]


class PortalFormRenderer(TemplatesSetting):
    """Every form field renders with its label, help text and inline errors."""

    field_template_name = "includes/field.html"


class DatePicker(forms.DateInput):
    """The browser's date picker. It reads and sends ISO dates whatever the language, so the
    value is rendered ISO too (zh-hans would render 2026/01/01, which the picker drops)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimePicker(forms.DateTimeInput):
    """The same for date and time (datetime-local)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def attempt(form, call):
    """Run a service call for a form; its refusal goes beside the field it concerns.
    Returns the result, or None when refused."""
    try:
        return call()
    except DomainError as exc:
        add_domain_error(form, exc)
    return None


def run_service(request, call, success):
    """One service call from a POST: its refusal or `success` as a flash message. Returns
    the result (None when refused)."""
    from django.contrib import messages

    try:
        result = call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return result

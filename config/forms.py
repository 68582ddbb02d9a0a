from django import forms
from django.forms.renderers import TemplatesSetting

from config.errors import DomainError


def add_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal on the form field it concerns (or on top)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


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

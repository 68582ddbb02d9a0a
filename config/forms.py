from django.forms.renderers import TemplatesSetting

from config.errors import DomainError


def add_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal on the form field it concerns (or on top)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


class PortalFormRenderer(TemplatesSetting):
    """Every form field renders with its label, help text and inline errors."""

    field_template_name = "includes/field.html"

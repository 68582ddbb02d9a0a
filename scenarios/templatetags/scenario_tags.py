from django import template

from scenarios.models import Benefit, Scenario

register = template.Library()


@register.simple_tag
def benefit_label(key):
    """A stored benefit key in the reader's language."""
    try:
        return Benefit(key).label
    except ValueError:
        return key


@register.simple_tag
def scenario_field_label(name):
    """A revised field's name in the reader's language."""
    try:
        return Scenario._meta.get_field(name).verbose_name
    except Exception:  # noqa: BLE001 - a field renamed since the revision: show its key
        return name

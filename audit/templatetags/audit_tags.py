from django import template

from audit import presentation

register = template.Library()


@register.filter
def action_label(action):
    return presentation.action_label(action)


@register.filter
def audit_changes(event):
    return presentation.changes(event)

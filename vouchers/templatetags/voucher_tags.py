"""Small helpers of the voucher pages: a dict lookup and the label of a stored state."""

from django import template

from vouchers.models import MembershipStatus

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def membership_label(status):
    return MembershipStatus(status).label if status else ""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

# One colour per state key across the whole site.
BADGE_CLASSES = {
    "pending": "text-bg-warning",
    "active": "text-bg-success",
    "rejected": "text-bg-danger",
    "potential": "text-bg-info",
    "growth": "text-bg-primary",
    "leading": "text-bg-success",
    "none": "text-bg-light border",
    # enterprise verification (submitted / resubmitted / returned as for applications)
    "unverified": "text-bg-secondary",
    "verified": "text-bg-success",
    # selection rounds and applications
    "draft": "text-bg-secondary",
    "open": "text-bg-primary",
    "formal_review": "text-bg-info",
    "panel_review": "text-bg-info",
    "tiering": "text-bg-warning",
    "notice": "text-bg-warning",
    "closed": "text-bg-dark",
    "submitted": "text-bg-primary",
    "resubmitted": "text-bg-primary",
    "returned": "text-bg-warning",
    "eligible": "text-bg-success",
    "ineligible": "text-bg-danger",
    "under_review": "text-bg-info",
    "scored": "text-bg-info",
    "proposed": "text-bg-warning",
    "confirmed": "text-bg-success",
    "admitted": "text-bg-success",
    "not_selected": "text-bg-secondary",
    "withdrawn": "text-bg-secondary",
    "upheld": "text-bg-danger",
    "dismissed": "text-bg-secondary",
    # dynamic adjustment
    "upgrade": "text-bg-success",
    "downgrade": "text-bg-warning",
    "exit": "text-bg-danger",
    "graduate": "text-bg-dark",
    "amended": "text-bg-success",
    "exited": "text-bg-danger",
    "graduated": "text-bg-dark",
    # data resources (and their change requests: pending / approved / rejected)
    "applied": "text-bg-primary",
    "accepted": "text-bg-info",
    "reviewed": "text-bg-info",
    "noticed": "text-bg-warning",
    "coded": "text-bg-success",
    "cancelled": "text-bg-dark",
    "approved": "text-bg-success",
    "general": "text-bg-secondary",
    "important": "text-bg-warning",
    "core": "text-bg-danger",
    # policies and their grants
    "published": "text-bg-success",
    "notified": "text-bg-primary",
    "delivered": "text-bg-success",
    "declined": "text-bg-secondary",
    "lapsed": "text-bg-light border",
    # vouchers: programmes, providers' memberships, vouchers and claims
    "suspended": "text-bg-warning",
    "removed": "text-bg-dark",
    "issued": "text-bg-primary",
    "partly_redeemed": "text-bg-info",
    "redeemed": "text-bg-info",
    "settled": "text-bg-success",
    "expired": "text-bg-light border",
    "filed": "text-bg-primary",
}


@register.simple_tag
def state_badge(key, label):
    css = BADGE_CLASSES.get(str(key), "text-bg-secondary")
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.simple_tag(takes_context=True)
def sort_header(context, field, label):
    """A sortable column header that toggles between ascending and descending."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    if current == field:
        target, arrow, aria = f"-{field}", " ▲", "ascending"
    elif current == f"-{field}":
        target, arrow, aria = field, " ▼", "descending"
    else:
        target, arrow, aria = field, "", "none"
    params = request.GET.copy()
    params["ordering"] = target
    params.pop("page", None)
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="link-body-emphasis text-decoration-none" '
        'href="?{}">{}{}</a></th>',
        aria,
        params.urlencode(),
        label,
        arrow,
    )


@register.simple_tag
def tier_badge(enterprise):
    """The enterprise's place in the registry: its tier, 已退出/已毕业, or 未入库."""
    entry = getattr(enterprise, "registry_entry", None)
    if entry is None:
        return state_badge("none", _("未入库"))
    if not entry.is_active:
        return state_badge(entry.status, entry.get_status_display())
    return state_badge(entry.tier, entry.get_tier_display())

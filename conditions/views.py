"""The builder's one page fragment: another condition row or group (htmx)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.models import Role
from conditions.builder import PREFIX, TOKEN, blank_group, blank_row, field_options


@login_required
def builder_row(request):
    """One more condition row in group `group`, or a new group with one row; `prefix`
    names the builder when a form holds several. Staff write conditions, and institution
    users their products' eligibility; nobody else."""
    user = request.user
    institution = user.role == Role.INSTITUTION and bool(user.organisation_id)
    if not (user.is_admin or user.is_bureau or institution):
        raise PermissionDenied
    prefix = request.GET.get("prefix", "")
    if not PREFIX.match(prefix):
        prefix = ""
    group = request.GET.get("group", "")
    context = {"fields": field_options(), "prefix": prefix}
    if not group:
        context["group"] = blank_group()
        return render(request, "conditions/_group.html", context)
    context["row"] = blank_row(group if TOKEN.match(group) else "0")
    return render(request, "conditions/_row.html", context)

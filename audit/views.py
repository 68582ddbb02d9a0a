from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from audit import selectors
from audit.models import can_read_audit


@login_required
def event_list(request):
    """The audit trail: all of it for administrators, a jurisdiction's for national and
    provincial bureau staff."""
    if not can_read_audit(request.user):
        raise PermissionDenied
    qs = selectors.event_list(request.user, request.GET)
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "action": action, "actor": actor})

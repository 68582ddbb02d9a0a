"""The lookup every staff-only round page starts with."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from selection.models import SelectionRound
from selection.permissions import can_manage_round


def managed_round_or_404(request, pk) -> SelectionRound:
    """The round if the user may see it (else 404) and manage it (else 403)."""
    selection_round = get_object_or_404(SelectionRound.objects.visible_to(request.user), pk=pk)
    if not can_manage_round(request.user, selection_round):
        raise PermissionDenied
    return selection_round

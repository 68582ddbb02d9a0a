"""Reads of adjustment proposals."""

from adjustment.forms import ProposalFilterForm
from adjustment.models import AdjustmentProposal


def proposal_list(user, params):
    """(filter form, proposals) of the staff page for `user`: pending ones unless the
    parameters ask for another status (the work to do first), newest year first. The page
    and the export both read it."""
    params = params.copy()
    params.setdefault("status", "pending")
    form = ProposalFilterForm(params)
    qs = (
        AdjustmentProposal.objects.visible_to(user)
        .select_related("entry__enterprise__region__parent")  # region.full_name
        .order_by("-year", "status", "-id")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(entry__enterprise__name__icontains=data["q"].strip())
        for name in ("status", "kind", "year"):
            if data[name]:
                qs = qs.filter(**{name: data[name]})
        if data["appeal"]:
            qs = qs.filter(appeal__status=data["appeal"])
    return form, qs

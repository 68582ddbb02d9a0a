"""The finance figures of the role-aware home page (portal/home.py): one count each."""

from finance.models import OPEN_STATES, FinancingNeed, Offer, OfferStatus, is_institution_user
from finance.services.talks import institution_of


def home_figures(user) -> dict:
    """{"open_needs"} for staff and institutions (needs they see, open), {"offers_waiting"}
    for an enterprise; {} for anyone else."""
    if user.is_admin or user.is_bureau:
        return {"open_needs": FinancingNeed.objects.visible_to(user).filter(
            status__in=OPEN_STATES).count()}  # fmt: skip
    if user.is_enterprise:
        return {
            "offers_waiting": Offer.objects.visible_to(user).filter(status=OfferStatus.MADE).count()
        }
    if is_institution_user(user):
        institution = institution_of(user)
        return {
            "institution": institution,
            "open_needs": FinancingNeed.objects.visible_to(user)
            .filter(status__in=OPEN_STATES)
            .count(),
        }
    return {}

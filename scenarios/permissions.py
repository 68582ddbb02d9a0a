"""Who may do what with scenarios (named predicates; the objects are already visible)."""

from registry.permissions import is_member
from scenarios.models import is_publisher_user


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_jurisdiction_staff(user, jurisdiction) -> bool:
    """Bureau staff of exactly this jurisdiction, or an admin (staff above only see)."""
    if not _active(user):
        return False
    region_id = getattr(jurisdiction, "pk", jurisdiction)
    return user.is_admin or (user.is_bureau and user.region_id == region_id)


def can_decide_publisher(user, publisher) -> bool:
    return is_jurisdiction_staff(user, publisher.jurisdiction_id)


def can_review_scenario(user, scenario) -> bool:
    return is_jurisdiction_staff(user, scenario.scenario_list.jurisdiction_id)


def acts_for_publisher(user, publisher) -> bool:
    """A publisher user of the publisher's organisation."""
    return is_publisher_user(user) and user.organisation_id == publisher.organisation_id


def can_publish_as(user, publisher) -> bool:
    """Open lists and scenarios: a user of an approved publisher."""
    return acts_for_publisher(user, publisher) and publisher.is_approved


def acts_for_enterprise(user, enterprise) -> bool:
    return _active(user) and user.is_enterprise and is_member(user, enterprise)


def can_decide_first_purchase(user, first_purchase) -> bool:
    return is_jurisdiction_staff(user, first_purchase.buyer.jurisdiction_id)


def can_follow_recommendations(user, scenario_list) -> bool:
    """The list's publisher, and staff whose jurisdiction holds it (or admins)."""
    if not _active(user):
        return False
    if user.is_admin or acts_for_publisher(user, scenario_list.publisher):
        return True
    return user.is_bureau and scenario_list.jurisdiction.path.startswith(user.region.path)


def can_see_recommended_enterprises(user, scenario) -> bool:
    return can_follow_recommendations(user, scenario.scenario_list)

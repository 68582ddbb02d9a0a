"""Policy matching listens to the registry: changed facts rematch the enterprises."""

from policies.services.matching import schedule_rematch_many
from registry.signals import facts_changed


def _rematch(sender, *, enterprise_ids, **kwargs):
    schedule_rematch_many(enterprise_ids)


def connect():
    facts_changed.connect(_rematch, dispatch_uid="policies.rematch_on_facts_changed")

"""Scenario matching listens to the registry: changed facts refresh recommendations."""

from registry.signals import facts_changed
from scenarios.services.recommendations import schedule_refresh


def _refresh(sender, *, enterprise_ids, **kwargs):
    schedule_refresh(enterprise_ids)


def connect():
    facts_changed.connect(_refresh, dispatch_uid="scenarios.refresh_on_facts_changed")

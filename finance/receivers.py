"""Credit scores follow the registry: changed facts (a report, a tier, a label, a region)
rescore those enterprises with the current scorecard version, once the change commits."""

from registry.signals import facts_changed


def _rescore(sender, *, enterprise_ids, **kwargs):
    from finance.services.scoring import schedule_rescore

    schedule_rescore(enterprise_ids)


def connect():
    facts_changed.connect(_rescore, dispatch_uid="finance.rescore_on_facts_changed")

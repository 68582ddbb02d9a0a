"""What the registry tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent with `enterprise_ids` when facts a condition may read changed: a tier, a growth
# label, a report, a region, a listing. Policy matching rematches those enterprises.
facts_changed = Signal()


def announce_facts_changed(enterprise_ids) -> None:
    ids = [pk for pk in enterprise_ids if pk is not None]
    if ids:
        facts_changed.send(sender=None, enterprise_ids=ids)


# Sent with `entry` and `actor` inside the transaction that admitted an enterprise into the
# registry or moved it to another tier: the registry certificate is issued (or reissued
# for the new tier) by the reports app, in the same transaction.
entry_admitted = Signal()


def announce_entry_admitted(entry, *, actor) -> None:
    entry_admitted.send(sender=None, entry=entry, actor=actor)

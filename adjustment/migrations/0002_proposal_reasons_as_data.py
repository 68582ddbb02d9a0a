"""Adjustment proposals' reasons: the zh-hans sentences become reason items (keys and
figures, adjustment/explanations.py renders them in the reader's language). A sentence that
cannot be read back is kept as {"legacy_text": ...}. Reverse: the items rendered in zh-hans."""

from django.db import migrations

from adjustment.explanations import render_reason
from adjustment.legacy import parse_reasons
from config.data_migrations import rewrite_rows


def _legacy(items):
    count = 0
    for item in items:
        count += "legacy_text" in item
        count += sum("legacy_text" in c for c in item.get("conditions", []))
    return count


def forward(apps, schema_editor):
    def convert(proposal):
        if not any(isinstance(reason, str) for reason in proposal.reasons or []):
            return None
        proposal.reasons = parse_reasons(proposal.reasons, year=proposal.year)
        return _legacy(proposal.reasons)

    Proposal = apps.get_model("adjustment", "AdjustmentProposal")
    rewrite_rows(Proposal, ["reasons"], convert, label="adjustment proposal reasons",
                 also_read=["year"])  # fmt: skip


def backward(apps, schema_editor):
    def convert(proposal):
        if not any(isinstance(reason, dict) for reason in proposal.reasons or []):
            return None
        proposal.reasons = [
            render_reason(r, "zh-hans") if isinstance(r, dict) else r for r in proposal.reasons
        ]
        return 0

    Proposal = apps.get_model("adjustment", "AdjustmentProposal")
    rewrite_rows(Proposal, ["reasons"], convert, label="adjustment proposal reasons",
                 also_read=["year"])  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("adjustment", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=True)]

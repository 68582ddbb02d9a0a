"""Growth-label awards' reasons: the zh-hans sentences become reason items (keys and
figures, registry/label_explanations.py renders them in the reader's language). A sentence
that cannot be read back is kept as {"legacy_text": ...}. Reverse: rendered in zh-hans."""

from django.db import migrations

from config.data_migrations import rewrite_rows
from registry.label_explanations import render_reason
from registry.legacy_labels import parse_reasons


def forward(apps, schema_editor):
    def convert(award):
        if not any(isinstance(reason, str) for reason in award.reasons or []):
            return None
        award.reasons = parse_reasons(award.reasons)
        return sum("legacy_text" in item for item in award.reasons)

    LabelAward = apps.get_model("registry", "LabelAward")
    rewrite_rows(LabelAward, ["reasons"], convert, label="growth label reasons")


def backward(apps, schema_editor):
    def convert(award):
        if not any(isinstance(reason, dict) for reason in award.reasons or []):
            return None
        award.reasons = [
            render_reason(r, "zh-hans") if isinstance(r, dict) else r for r in award.reasons
        ]
        return 0

    LabelAward = apps.get_model("registry", "LabelAward")
    rewrite_rows(LabelAward, ["reasons"], convert, label="growth label reasons")


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_constraint_messages")]

    operations = [migrations.RunPython(forward, backward, elidable=True)]

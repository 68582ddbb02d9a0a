"""Policy grants' explanations: the zh-hans sentences become condition items (keys and
figures, conditions/explain.py renders them in the reader's language). A sentence that
cannot be read back is kept as {"legacy_text": ...}. Reverse: the items rendered in zh-hans."""

from collections import Counter

from django.db import migrations

from conditions.explain import render_condition
from conditions.legacy import parse_condition
from config.data_migrations import rewrite_rows


def _region_codes(apps):
    """{name: code} for the names that are unique (an ambiguous name stays a name)."""
    rows = list(apps.get_model("accounts", "Region").objects.values_list("name", "code"))
    seen = Counter(name for name, _code in rows)
    return {name: code for name, code in rows if seen[name] == 1}


def forward(apps, schema_editor):
    codes = _region_codes(apps)

    def convert(grant):
        if not any(isinstance(item, str) for item in grant.explanation or []):
            return None
        items = [parse_condition(t, codes) if isinstance(t, str) else t for t in grant.explanation]
        grant.explanation = items
        return sum("legacy_text" in item for item in items)

    PolicyGrant = apps.get_model("policies", "PolicyGrant")
    rewrite_rows(PolicyGrant, ["explanation"], convert, label="policy grant explanations")


def backward(apps, schema_editor):
    names = dict(apps.get_model("accounts", "Region").objects.values_list("code", "name"))

    def convert(grant):
        if not any(isinstance(item, dict) for item in grant.explanation or []):
            return None
        grant.explanation = [
            render_condition(item, "zh-hans", names=names) if isinstance(item, dict) else item
            for item in grant.explanation
        ]
        return 0

    PolicyGrant = apps.get_model("policies", "PolicyGrant")
    rewrite_rows(PolicyGrant, ["explanation"], convert, label="policy grant explanations")


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0001_initial"),
        ("accounts", "0002_load_regions"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=True)]

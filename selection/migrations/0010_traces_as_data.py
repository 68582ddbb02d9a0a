"""Applications' indicator and decision traces: their zh-hans sentences (band labels,
reasons, rule verdicts, the summary, the decision's reason) become keys and figures
(selection/explanations.py renders them in the reader's language); the summary and band
labels are derived from the figures already there. A sentence that cannot be read back is
kept as {"legacy_text": ...}. Reverse: explicitly nothing (the data renders in zh-hans)."""

from django.db import migrations

from config.data_migrations import rewrite_rows
from selection.legacy import convert_decision_trace, convert_indicator_trace, needs_conversion


def forward(apps, schema_editor):
    def convert(application):
        if not needs_conversion(application.indicator_trace, application.decision_trace):
            return None
        application.indicator_trace, legacy = convert_indicator_trace(application.indicator_trace)
        application.decision_trace, more = convert_decision_trace(application.decision_trace)
        return legacy + more

    Application = apps.get_model("selection", "Application")
    rewrite_rows(Application, ["indicator_trace", "decision_trace"], convert,
                 label="indicator and decision traces")  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("selection", "0009_attachment_kind_message_and_report_kinds")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]

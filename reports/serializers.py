from django.utils import timezone
from rest_framework import serializers

from registry.choices import Tier
from reports.models import AnnualReportRun
from reports.services.annual import FIRST_YEAR
from reports.services.certificates import STATUS_LABELS


class VerificationSerializer(serializers.Serializer):
    """What anyone may learn about a certificate: no sensitive field."""

    code = serializers.CharField()
    status = serializers.ChoiceField(
        choices=list(STATUS_LABELS),
        help_text="valid; revoked (a newer certificate replaced it); exited or graduated "
        "(the enterprise left the registry).",
    )
    status_label = serializers.CharField()
    valid = serializers.BooleanField()
    enterprise = serializers.CharField()
    tier = serializers.ChoiceField(choices=Tier.choices)
    tier_label = serializers.CharField()
    jurisdiction = serializers.CharField()
    issued_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)


class AnnualReportRequestSerializer(serializers.Serializer):
    jurisdiction = serializers.RegexField(
        r"^[0-9]{6}$", help_text="The jurisdiction's GB/T 2260 code (yours or one below it)."
    )
    year = serializers.IntegerField(min_value=FIRST_YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].validators[-1].limit_value = timezone.localdate().year


class AnnualReportRunSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    ready = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReportRun
        fields = [
            "id", "jurisdiction", "jurisdiction_name", "year", "status", "processed", "total",
            "percent", "pages", "ready", "error", "created_at", "finished_at",
        ]  # fmt: skip

    def get_ready(self, run) -> bool:
        return bool(run.status == "done" and run.file)

from rest_framework import serializers

from selection import blind
from selection.explanations import render_decision, render_indicator_trace
from selection.models import Application, ApplicationFigures, Score, ScoreSheet, SelectionRound
from selection.review_queue import bulk_blockers
from selection.selectors import ESSAY_FIELDS, applicant_label, reader_terms, result_visible


class RoundSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SelectionRound
        fields = [
            "id",
            "year",
            "title",
            "region",
            "status",
            "status_display",
            "application_opens_at",
            "application_closes_at",
            "review_opens_on",
            "review_closes_on",
            "notice_days",
            "notice_starts_on",
            "notice_ends_on",
            "indicator_weight",
            "panel_weight",
            "pass_mark",
            "aggregation",
        ]


class FiguresSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationFigures
        exclude = ["id", "application"]


class ApplicationSerializer(serializers.ModelSerializer):
    round = serializers.PrimaryKeyRelatedField(read_only=True)
    enterprise = serializers.PrimaryKeyRelatedField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "round",
            "enterprise",
            "enterprise_name",
            "status",
            "status_display",
            "category",
            "tier_sought",
            "submitted_at",
            "indicator_score",
            "indicator_passed",
            "direct_pass",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        visible = request is not None and result_visible(instance, request.user)
        data["result"] = (
            {
                "tier": instance.proposed_tier or None,
                "final_score": str(instance.final_score),
                "panel_score": str(instance.panel_score),
            }
            if visible
            else None
        )
        if request is not None and blind.is_blind_for(instance.round, request.user):
            data["enterprise"] = None
            data["enterprise_name"] = applicant_label(instance, request.user)
            texts = [name for name in (*ESSAY_FIELDS, "indicator_trace") if name in data]
            if texts:  # the detail: the same redaction as the score-sheet page
                terms = reader_terms(instance, request.user)
                for name in texts:
                    data[name] = blind.redact_data(data[name], terms)
        return data


class ApplicationDetailSerializer(ApplicationSerializer):
    figures = FiguresSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "size",
            "innovation_summary",
            "data_practice",
            "growth_plan",
            "award_level",
            "rd_institution_level",
            "indicator_trace",
            "figures",
        ]

    def to_representation(self, instance):
        """Beside the stored traces, what they say in the request's language."""
        data = super().to_representation(instance)
        # From the trace as serialized: already redacted for a blind panelist.
        data["indicator_trace_text"] = render_indicator_trace(data["indicator_trace"])
        if data["result"] is not None:
            data["result"]["decision_trace"] = instance.decision_trace
            data["result"]["decision_text"] = render_decision(instance.decision_trace)
        return data


class ReviewQueueSerializer(ApplicationSerializer):
    """A row of the formal-review queue: the application, its round's title and why it
    must be reviewed on its own page (`blockers`: mismatch, resubmitted; empty when it may
    be marked eligible in bulk)."""

    round_title = serializers.CharField(source="round.title", read_only=True)
    mismatch = serializers.BooleanField(read_only=True)
    blockers = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "round_title", "mismatch", "blockers"]

    def get_blockers(self, instance) -> list[str]:
        return bulk_blockers(instance)


class ScoreSerializer(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "criterion_name", "value", "comment"]


class ScoreSheetSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="assignment.application_id", read_only=True)
    panelist = serializers.CharField(
        source="assignment.panel_member.user.full_name", read_only=True
    )
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = ScoreSheet
        fields = ["id", "application", "panelist", "submitted_at", "total", "scores"]

"""Serializers of the scenario API: output rows, and the input of each action (the
services decide; these only check shape)."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.fields import RegionCodeField
from accounts.models import Region
from config.text_limits import NOTE, TEXT
from scenarios.models import (
    Award,
    AwardForm,
    CatalogueEntry,
    FirstPurchase,
    Outcome,
    Publisher,
    Response,
    ResponseMessage,
    Scenario,
    TypicalCase,
)

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": Decimal("0")}


class ScenarioSerializer(serializers.ModelSerializer):
    region = RegionCodeField(read_only=True)
    publisher = serializers.CharField(source="scenario_list.publisher.organisation.name",
                                      read_only=True)  # fmt: skip
    list_title = serializers.CharField(source="scenario_list.title", read_only=True)
    rank = serializers.SerializerMethodField(
        help_text="ts_rank of the `q` search on PostgreSQL; null otherwise."
    )

    class Meta:
        model = Scenario
        fields = ["id", "scenario_list", "list_title", "publisher", "title", "description",
                  "kind", "nature", "demand_side", "industry", "region", "budget_min",
                  "budget_max", "deadline", "requirements", "conditions", "benefits",
                  "co_building", "contact_name", "contact_phone", "status", "return_reason",
                  "published_at", "rank"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field({"type": "number", "nullable": True})
    def get_rank(self, scenario):
        rank = getattr(scenario, "rank", None)
        return None if rank is None else float(rank)


class ScenarioReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ScenarioResponseInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, required=False,
                                          help_text="默认为调用者所属的企业。")  # fmt: skip
    summary = serializers.CharField(max_length=NOTE)
    approach = serializers.CharField(max_length=TEXT)
    price = serializers.DecimalField(**MONEY)
    timeline = serializers.CharField(max_length=NOTE)
    references = serializers.CharField(max_length=NOTE, required=False, allow_blank=True)


class ScenarioResponseChangesSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=NOTE, required=False)
    approach = serializers.CharField(max_length=TEXT, required=False)
    price = serializers.DecimalField(required=False, **MONEY)
    timeline = serializers.CharField(max_length=NOTE, required=False)
    references = serializers.CharField(max_length=NOTE, required=False, allow_blank=True)


class ScenarioAwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = ["id", "form", "amount", "starts_on", "ends_on", "product_name", "new_product",
                  "outcome", "progress", "awarded_at"]  # fmt: skip
        read_only_fields = fields


class ScenarioResponseSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    scenario_title = serializers.CharField(source="scenario.title", read_only=True)
    award = ScenarioAwardSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Response
        fields = ["id", "scenario", "scenario_title", "enterprise", "enterprise_name",
                  "summary", "approach", "price", "timeline", "references", "status",
                  "award", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = fields


class ScenarioMessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = ResponseMessage
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"body": {"max_length": NOTE}}


class AwardEntrySerializer(serializers.Serializer):
    response = serializers.IntegerField(min_value=1)
    form = serializers.ChoiceField(choices=AwardForm.choices)
    amount = serializers.DecimalField(**MONEY)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    product_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    new_product = serializers.BooleanField(required=False, default=False)


class AwardInputSerializer(serializers.Serializer):
    awards = AwardEntrySerializer(many=True, allow_empty=False)


class ScenarioOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    progress = serializers.CharField(max_length=NOTE, required=False, allow_blank=True)


class PublisherSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    jurisdiction = RegionCodeField(queryset=Region.objects.all())

    class Meta:
        model = Publisher
        fields = ["id", "name", "kind", "jurisdiction", "status", "reason", "decided_at"]
        read_only_fields = ["id", "name", "status", "reason", "decided_at"]


class FirstPurchaseSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    buyer = serializers.CharField(source="buyer.organisation.name", read_only=True)

    class Meta:
        model = FirstPurchase
        fields = ["id", "award", "enterprise", "enterprise_name", "buyer", "product_name",
                  "amount", "purchased_on", "rule", "eligible", "explanation", "subsidy",
                  "decision", "created_at"]  # fmt: skip
        read_only_fields = fields


class CatalogueEntrySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = CatalogueEntry
        fields = ["id", "product_name", "enterprise", "enterprise_name", "first_purchase",
                  "listed_at"]  # fmt: skip
        read_only_fields = fields


class MatchReasonSerializer(serializers.Serializer):
    """One point of a match: its code and points (data), and the sentence in the caller's
    language."""

    code = serializers.CharField()
    points = serializers.IntegerField()
    text = serializers.CharField()


class _MatchSerializer(serializers.Serializer):
    """A scenarios.matching.Match: its score and reasons (the recommended side: below)."""

    score = serializers.IntegerField()
    reasons = serializers.SerializerMethodField()

    @extend_schema_field(MatchReasonSerializer(many=True))
    def get_reasons(self, match):
        return [{"code": r["code"], "points": r["points"], "text": t}
                for r, t in zip(match.reasons, match.described, strict=True)]  # fmt: skip


class RecommendedScenarioSerializer(_MatchSerializer):
    scenario = ScenarioSerializer(source="obj")


class RecommendedEnterpriseSerializer(_MatchSerializer):
    enterprise = serializers.IntegerField(source="obj.pk")
    name = serializers.CharField(source="obj.name")
    region = serializers.CharField(source="obj.region.code")


class TypicalCaseSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    scenario = serializers.IntegerField(source="award.response.scenario_id", read_only=True)
    scenario_title = serializers.CharField(source="award.response.scenario.title",
                                           read_only=True)  # fmt: skip
    award_form = serializers.CharField(source="award.form", read_only=True)
    amount = serializers.DecimalField(source="award.amount", max_digits=16, decimal_places=2,
                                      read_only=True)  # fmt: skip

    class Meta:
        model = TypicalCase
        fields = ["id", "title", "summary", "status", "enterprise", "enterprise_name",
                  "scenario", "scenario_title", "award_form", "amount", "published_at"]  # fmt: skip
        read_only_fields = fields

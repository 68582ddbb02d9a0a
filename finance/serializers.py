"""Serializers of the finance API: output rows, and the input of each action (the services
decide; these only check shape)."""

from decimal import Decimal

from rest_framework import serializers

from conditions.engine import validate
from config.filters import BIGGEST
from config.text_limits import NOTE, TEXT
from finance.models import (
    CreditScore,
    FinancialProduct,
    FinancingNeed,
    Institution,
    ListingCase,
    Offer,
)
from finance.services.needs import NEED_FIELDS

MONEY = {"max_digits": 16, "decimal_places": 2}
POSITIVE_MONEY = {**MONEY, "min_value": Decimal("0.01")}


class InstitutionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Institution
        fields = ["id", "name", "kind", "status", "introduction", "decided_at"]


class InstitutionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class FinancialProductSerializer(serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = FinancialProduct
        fields = [
            "id", "institution", "name", "kind", "min_amount", "max_amount", "min_rate",
            "max_rate", "min_term_months", "max_term_months", "stages", "industries",
            "conditions", "description", "is_active",
        ]  # fmt: skip
        read_only_fields = ["is_active"]

    def validate_conditions(self, value):
        if value and (problems := validate(value)):
            raise serializers.ValidationError(problems)
        return value


class FinancingNeedSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    outcome = serializers.CharField(read_only=True, help_text="financed / not_financed / "
                                    "withdrawn once closed; empty before")  # fmt: skip
    amount = serializers.DecimalField(**POSITIVE_MONEY)
    term_months = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True, default=None
    )

    class Meta:
        model = FinancingNeed
        fields = [
            "id", "enterprise", "enterprise_name", *NEED_FIELDS, "status", "outcome",
            "published_at", "closed_at",
        ]  # fmt: skip
        read_only_fields = ["enterprise", "status", "outcome", "published_at", "closed_at"]


class FinancingOfferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offer
        fields = [
            "id", "need", "institution", "product", "amount", "rate", "valuation", "term_months",
            "note", "status", "funded_amount", "funded_on", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class MakeFinancingOfferSerializer(serializers.Serializer):
    product = serializers.IntegerField(required=False, allow_null=True, default=None)
    amount = serializers.DecimalField(**POSITIVE_MONEY)
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, default=None
    )
    valuation = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)
    term_months = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=NOTE, required=False, allow_blank=True, default="")


class NeedMessageSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=NOTE)
    institution = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text="The institution of the thread (the enterprise's side names it).",
    )  # fmt: skip


class OfferFundingSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**POSITIVE_MONEY)
    funded_on = serializers.DateField()


def _ids():
    """A non-empty list of ids, each within the database's bigint (beyond it: a 400)."""
    child = serializers.IntegerField(min_value=1, max_value=BIGGEST)
    return serializers.ListField(child=child, min_length=1)


class RecommendSerializer(serializers.Serializer):
    needs = _ids()
    institutions = _ids()
    note = serializers.CharField(max_length=NOTE)


class RecommendEnterprisesSerializer(serializers.Serializer):
    enterprises = _ids()
    institutions = _ids()
    note = serializers.CharField(max_length=NOTE)


class RecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    note = serializers.CharField()


class CreditScoreSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="scorecard.version", read_only=True)

    class Meta:
        model = CreditScore
        fields = ["id", "enterprise", "version", "total", "grade", "contributions", "computed_at"]
        read_only_fields = fields


class ListingCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ListingCase
        fields = ["id", "enterprise", "stage", "target_board", "adviser", "notes", "listed_on"]
        read_only_fields = ["stage", "listed_on"]
        extra_kwargs = {"notes": {"max_length": TEXT}}


class ListingAdvanceSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=TEXT, required=False, allow_blank=True, default="")
    listed_on = serializers.DateField(required=False, allow_null=True, default=None)

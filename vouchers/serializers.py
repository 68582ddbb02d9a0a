"""Serializers of the voucher API: output rows, and the input of each action (the services
decide; these only check shape)."""

import json
from decimal import Decimal

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.fields import RegionCodeField
from accounts.models import Region
from conditions.engine import describe, validate
from conditions.explain import render_conditions
from config.text_limits import NOTE
from vouchers.models import (
    ApplicationStatus,
    Claim,
    HubNode,
    LedgerEntry,
    Product,
    ProgramProvider,
    Provider,
    RelatedParty,
    RelationKind,
    Voucher,
    VoucherApplication,
    VoucherKind,
    VoucherProgram,
)
from vouchers.selectors import grant_terms
from vouchers.services.programs import PROGRAM_FIELDS

MONEY = {"max_digits": 16, "decimal_places": 2}
POSITIVE_MONEY = {**MONEY, "min_value": Decimal("0.01")}
RATIO = {"max_digits": 5, "decimal_places": 4, "min_value": Decimal("0.0001"),
         "max_value": Decimal("1")}  # fmt: skip


def _conditions(value):
    if value and (problems := validate(value)):
        raise serializers.ValidationError(problems)
    return value


class GrantTermsSerializer(serializers.Serializer):
    """granted = min(sought, ratio_amount, annual_remaining, contract_cap,
    budget_remaining); `binding` names the term that decides it."""

    sought = serializers.DecimalField(**MONEY)
    ratio = serializers.DecimalField(max_digits=5, decimal_places=4)
    is_startup = serializers.BooleanField()
    ratio_amount = serializers.DecimalField(**MONEY)
    annual_remaining = serializers.DecimalField(**MONEY)
    contract_cap = serializers.DecimalField(**MONEY)
    budget_remaining = serializers.DecimalField(**MONEY)
    granted = serializers.DecimalField(**MONEY)
    binding = serializers.CharField()


# --- Programmes -----------------------------------------------------------------------


class VoucherProgramSerializer(serializers.ModelSerializer):
    jurisdiction = RegionCodeField(queryset=Region.objects.all())
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    conditions = serializers.JSONField(validators=[_conditions], required=False)
    conditions_text = serializers.SerializerMethodField()
    remaining = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = VoucherProgram
        fields = ["id", *PROGRAM_FIELDS, "jurisdiction_name", "conditions_text", "status",
                  "version", "previous", "reserved", "spent", "remaining", "published_at",
                  "closed_at", "created_at"]  # fmt: skip
        read_only_fields = ["status", "version", "previous", "reserved", "spent",
                            "published_at", "closed_at", "created_at"]  # fmt: skip
        extra_kwargs = {
            "year": {"min_value": 2000, "max_value": 2100},
            "budget": {"min_value": Decimal("0.01")},
            "annual_cap": {"min_value": Decimal("0.01")},
            "contract_cap": {"min_value": Decimal("0.01")},
            "subsidy_ratio": {"min_value": Decimal("0.0001"), "max_value": Decimal("1")},
            "startup_ratio": {"min_value": Decimal("0.0001"), "max_value": Decimal("1")},
            "startup_age_years": {"min_value": 1, "max_value": 100},
            "validity_length": {"min_value": 1, "max_value": 120},
            "settlement_working_days": {"min_value": 1, "max_value": 250},
        }

    def get_conditions_text(self, program) -> str:
        return describe(program.conditions) if program.conditions else ""


class ProgramChangesSerializer(VoucherProgramSerializer):
    """The fields a new version changes (all optional)."""

    class Meta(VoucherProgramSerializer.Meta):
        extra_kwargs = {
            name: {**VoucherProgramSerializer.Meta.extra_kwargs.get(name, {}), "required": False}
            for name in PROGRAM_FIELDS
        }


class EligibilityQuerySerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The enterprise to evaluate (staff: required; a member: defaults to "
        "the caller's enterprise).",
    )


class EligibilitySerializer(serializers.Serializer):
    program = serializers.IntegerField()
    enterprise = serializers.IntegerField()
    eligible = serializers.BooleanField()
    explanation = serializers.ListField(
        child=serializers.DictField(), help_text="Per condition: the engine's explanation data."
    )
    explanation_text = serializers.ListField(
        child=serializers.CharField(),
        help_text="The explanation as sentences in the request's language.",
    )
    annual_cap_remaining = serializers.DecimalField(**MONEY)


# --- Providers ------------------------------------------------------------------------


class ProductSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.organisation.name", read_only=True)
    unit_price = serializers.DecimalField(**POSITIVE_MONEY)

    class Meta:
        model = Product
        fields = ["id", "provider", "provider_name", "kind", "name", "unit", "unit_price",
                  "is_active", "created_at"]  # fmt: skip
        read_only_fields = ["provider", "created_at"]


class ProviderSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    uscc = serializers.CharField(source="organisation.uscc", read_only=True)
    service_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=VoucherKind.choices), min_length=1, max_length=3
    )
    hub_node = serializers.ChoiceField(choices=HubNode.choices, required=False, allow_blank=True)

    class Meta:
        model = Provider
        fields = ["id", "organisation", "name", "uscc", "service_kinds", "hub_node",
                  "group_name", "created_at"]  # fmt: skip
        read_only_fields = ["organisation", "created_at"]


class JoinProgramSerializer(serializers.Serializer):
    program = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class ProgramProviderSerializer(serializers.ModelSerializer):
    program_name = serializers.CharField(source="program.name", read_only=True)
    provider_name = serializers.CharField(source="provider.organisation.name", read_only=True)

    class Meta:
        model = ProgramProvider
        fields = ["id", "program", "program_name", "provider", "provider_name", "status",
                  "reason", "applied_at", "decided_at"]  # fmt: skip
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE)


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE, required=False, allow_blank=True, default="")


# --- Applications and vouchers --------------------------------------------------------


class ItemSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=Decimal("0.001"))


class ApplySerializer(serializers.Serializer):
    """An application: multipart/form-data (the contract PDF is a file; `items` a JSON
    list of {product, quantity})."""

    program = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    enterprise = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1,
        help_text="The caller's enterprise (defaults to its first).",
    )  # fmt: skip
    provider = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    contract_number = serializers.CharField(max_length=64)
    contract_signed_on = serializers.DateField()
    contract_starts_on = serializers.DateField()
    contract_ends_on = serializers.DateField()
    contract_amount = serializers.DecimalField(**POSITIVE_MONEY)
    amount_sought = serializers.DecimalField(**POSITIVE_MONEY)
    items = ItemSerializer(many=True, allow_empty=False)
    contract_file = serializers.FileField()

    def to_internal_value(self, data):
        # In a form, `items` arrives as a JSON string.
        if hasattr(data, "getlist") and isinstance(data.get("items"), str):
            try:
                items = json.loads(data["items"])
            except ValueError:
                raise serializers.ValidationError({"items": ["JSON list expected."]}) from None
            data = {k: data.get(k) for k in data} | {"items": items}
        return super().to_internal_value(data)


class ResubmitApplicationSerializer(ApplySerializer):
    """A returned application corrected: any contract field, the items or a new contract
    PDF; what is left out stays as it was. The programme, enterprise and provider stay."""

    program = enterprise = provider = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class VoucherApplicationSerializer(serializers.ModelSerializer):
    program_name = serializers.CharField(source="program.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    provider_name = serializers.CharField(source="provider.organisation.name", read_only=True)
    voucher = serializers.SerializerMethodField()

    class Meta:
        model = VoucherApplication
        fields = ["id", "program", "program_name", "enterprise", "enterprise_name", "provider",
                  "provider_name", "contract_number", "contract_signed_on",
                  "contract_starts_on", "contract_ends_on", "contract_amount", "items",
                  "amount_sought", "status", "reason", "submitted_at", "decided_at",
                  "voucher"]  # fmt: skip
        read_only_fields = fields

    def get_voucher(self, application) -> int | None:
        voucher = getattr(application, "voucher", None)
        return voucher.pk if voucher is not None else None


class VoucherApplicationDetailSerializer(VoucherApplicationSerializer):
    grant = serializers.SerializerMethodField(
        help_text="The grant computation: stored on the voucher once approved, else as it "
        "would be now (null when the application is no longer pending)."
    )
    explanation_text = serializers.SerializerMethodField()

    class Meta(VoucherApplicationSerializer.Meta):
        fields = [*VoucherApplicationSerializer.Meta.fields, "explanation", "explanation_text",
                  "grant"]  # fmt: skip
        read_only_fields = fields

    def get_explanation_text(self, application) -> list[str]:
        return render_conditions(application.explanation)

    @extend_schema_field(GrantTermsSerializer(allow_null=True))
    def get_grant(self, application) -> dict | None:
        voucher = getattr(application, "voucher", None)
        if voucher is not None:
            return voucher_grant(voucher)
        if application.status not in (ApplicationStatus.APPLIED, ApplicationStatus.RETURNED):
            return None
        terms = grant_terms(
            application.program,
            application.enterprise,
            contract_amount=application.contract_amount,
            sought=application.amount_sought,
            on=timezone.localdate(),
        )
        return GrantTermsSerializer(terms.as_dict()).data


class VoucherSerializer(serializers.ModelSerializer):
    program_name = serializers.CharField(source="program.name", read_only=True)
    kind = serializers.CharField(source="program.kind", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    provider_name = serializers.CharField(source="provider.organisation.name", read_only=True)
    remaining = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = Voucher
        fields = ["id", "code", "program", "program_name", "kind", "application", "enterprise",
                  "enterprise_name", "provider", "provider_name", "amount", "claimed",
                  "settled", "released", "remaining", "status", "issued_at", "expires_on",
                  "reason"]  # fmt: skip
        read_only_fields = fields


class VoucherDetailSerializer(VoucherSerializer):
    grant = serializers.SerializerMethodField()

    class Meta(VoucherSerializer.Meta):
        fields = [*VoucherSerializer.Meta.fields, "grant"]
        read_only_fields = fields

    @extend_schema_field(GrantTermsSerializer)
    def get_grant(self, voucher) -> dict:
        return voucher_grant(voucher)


def voucher_grant(voucher) -> dict:
    """The stored computation of a voucher's amount, in GrantTermsSerializer's shape."""
    terms = voucher.terms
    binding = min(terms, key=terms.get)
    return GrantTermsSerializer(
        {
            **terms,
            "ratio": voucher.ratio,
            "is_startup": voucher.is_startup,
            "granted": voucher.amount,
            "binding": binding,
        }  # fmt: skip
    ).data


class VoucherCheckSerializer(serializers.ModelSerializer):
    """What a code check shows: the code, status, what is left, the expiry."""

    remaining = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = Voucher
        fields = ["id", "code", "status", "remaining", "expires_on"]
        read_only_fields = fields


class CodeQuerySerializer(serializers.Serializer):
    code = serializers.RegexField(
        r"^[a-z]+-[0-9]{6}-[0-9]{4}-[0-9]{6}$",
        max_length=40,
        help_text="A voucher code: <kind>-<region>-<year>-<seq>, e.g. compute-110000-2026-000001.",
    )


# --- Claims, ledger, reconciliation ---------------------------------------------------


class VoucherRefSerializer(serializers.Serializer):
    voucher = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class FileClaimSerializer(serializers.Serializer):
    """A claim: multipart/form-data (the proof of delivery is a PDF file). The
    idempotency key comes in the `Idempotency-Key` header or this field."""

    voucher = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    idempotency_key = serializers.CharField(max_length=64, required=False)
    invoice_number = serializers.CharField(max_length=64)
    amount = serializers.DecimalField(**POSITIVE_MONEY)
    usage_quantity = serializers.DecimalField(
        max_digits=16, decimal_places=3, min_value=Decimal("0.001")
    )
    usage_unit = serializers.CharField(max_length=20)
    proof = serializers.FileField()


class ResubmitClaimSerializer(FileClaimSerializer):
    """A returned claim corrected: any of its figures or a new proof PDF; what is left out
    stays as it was. Its voucher and idempotency key stay."""

    voucher = idempotency_key = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class DeclareRelatedPartySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    uscc = serializers.CharField(max_length=18, help_text="统一社会信用代码 (GB 32100).")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RelatedPartySerializer(serializers.ModelSerializer):
    class Meta:
        model = RelatedParty
        fields = ["id", "provider", "kind", "uscc", "enterprise", "note", "declared_at"]
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    voucher_code = serializers.CharField(source="voucher.code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    provider_name = serializers.CharField(source="provider.organisation.name", read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "voucher", "voucher_code", "program", "enterprise", "enterprise_name",
                  "provider", "provider_name", "claimant", "idempotency_key", "invoice_number",
                  "amount", "usage_quantity", "usage_unit", "status", "reason", "filed_at",
                  "confirmed_at", "verified_at", "settled_at", "settle_due_on"]  # fmt: skip
        read_only_fields = fields


class LedgerEntrySerializer(serializers.ModelSerializer):
    voucher_code = serializers.CharField(source="voucher.code", read_only=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "program", "voucher", "voucher_code", "claim", "kind", "amount",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class ProgramBalanceSerializer(serializers.Serializer):
    program = serializers.IntegerField(source="program.pk")
    program_name = serializers.CharField(source="program.name")
    budget = serializers.DecimalField(**MONEY)
    reserved = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    ledger_reserved = serializers.DecimalField(**MONEY)
    ledger_spent = serializers.DecimalField(**MONEY)
    balanced = serializers.BooleanField()


class CapBalanceSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="cap.enterprise_id")
    year = serializers.IntegerField(source="cap.year")
    cap = serializers.DecimalField(source="cap.cap", **MONEY)
    used = serializers.DecimalField(source="cap.used", **MONEY)
    ledger_used = serializers.DecimalField(**MONEY)
    balanced = serializers.BooleanField()


class VoucherBalanceSerializer(serializers.Serializer):
    voucher = serializers.IntegerField(source="voucher.pk")
    code = serializers.CharField(source="voucher.code")
    amount = serializers.DecimalField(source="voucher.amount", **MONEY)
    released = serializers.DecimalField(source="voucher.released", **MONEY)
    settled = serializers.DecimalField(source="voucher.settled", **MONEY)
    reserve = serializers.DecimalField(**MONEY)
    release = serializers.DecimalField(**MONEY)
    spend = serializers.DecimalField(**MONEY)
    balanced = serializers.BooleanField()


class ReconciliationSerializer(ProgramBalanceSerializer):
    """One programme: its balances beside its ledger rows, per enterprise-year and per
    voucher."""

    enterprise_years = CapBalanceSerializer(many=True)
    vouchers = VoucherBalanceSerializer(many=True)

"""Read-only admin pages: every write goes through vouchers/services (audited, ledgered)."""

from django.contrib import admin

from config.admin import ReadOnlyAdminMixin
from vouchers.models import (
    Claim,
    EnterpriseYearCap,
    LedgerEntry,
    Product,
    ProgramProvider,
    Provider,
    RelatedParty,
    Voucher,
    VoucherApplication,
    VoucherProgram,
)


@admin.register(VoucherProgram)
class VoucherProgramAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "year", "version", "jurisdiction", "status", "budget",
                    "reserved", "spent"]  # fmt: skip
    list_filter = ["status", "kind", "year"]
    list_select_related = ["jurisdiction"]
    search_fields = ["name"]


@admin.register(Provider)
class ProviderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "hub_node", "group_name"]
    list_filter = ["hub_node"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "organisation__uscc"]


@admin.register(RelatedParty)
class RelatedPartyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["provider", "kind", "uscc", "enterprise", "declared_at"]
    list_filter = ["kind"]
    list_select_related = ["provider__organisation", "enterprise"]


@admin.register(Product)
class ProductAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "provider", "kind", "unit", "unit_price", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["provider__organisation"]


@admin.register(ProgramProvider)
class ProgramProviderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["program", "provider", "status", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["program", "provider__organisation"]


@admin.register(VoucherApplication)
class VoucherApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["contract_number", "program", "enterprise", "provider", "amount_sought",
                    "status", "submitted_at"]  # fmt: skip
    list_filter = ["status"]
    list_select_related = ["program", "enterprise", "provider__organisation"]
    search_fields = ["contract_number", "enterprise__name"]


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "program", "enterprise", "amount", "claimed", "settled",
                    "released", "status", "expires_on"]  # fmt: skip
    list_filter = ["status"]
    list_select_related = ["program", "enterprise"]
    search_fields = ["code", "enterprise__name"]
    exclude = ["verification_token"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["invoice_number", "voucher", "claimant", "amount", "status",
                    "settle_due_on"]  # fmt: skip
    list_filter = ["status", "claimant"]
    list_select_related = ["voucher"]
    search_fields = ["invoice_number", "voucher__code"]
    exclude = ["idempotency_key"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "program", "voucher", "claim", "kind", "amount", "actor"]
    list_filter = ["kind"]
    list_select_related = ["program", "voucher", "claim", "actor"]


@admin.register(EnterpriseYearCap)
class EnterpriseYearCapAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["enterprise", "program", "year", "cap", "used"]
    list_filter = ["year"]
    list_select_related = ["enterprise", "program"]

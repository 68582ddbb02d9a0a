from django.contrib import admin

from config.admin import ReadOnlyAdminMixin
from registry.models import (
    Enterprise,
    EnterpriseDocument,
    Membership,
    RegistryEntry,
    TierChange,
    TransferRequest,
)


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "uscc", "region", "industry", "category", "size", "created_at"]
    list_filter = ["industry", "category", "size"]
    list_select_related = ["region"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["region"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "enterprise", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["user", "enterprise"]


@admin.register(RegistryEntry)
class RegistryEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["enterprise", "tier", "category", "admitted_on"]
    list_filter = ["tier", "category"]
    list_select_related = ["enterprise"]


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["entry", "from_tier", "to_tier", "reason", "created_at"]


@admin.register(EnterpriseDocument)
class EnterpriseDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Verification documents, to see what was uploaded: the file itself is served only by
    the verification page, which checks who asks (identity documents)."""

    list_display = ["enterprise", "kind", "original_name", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["enterprise", "uploaded_by"]
    search_fields = ["enterprise__name", "enterprise__uscc", "original_name"]
    exclude = ["file"]


@admin.register(TransferRequest)
class TransferRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Transfers are decided on the portal (registry:transfer-list), through the service."""

    list_display = ["enterprise", "from_region", "to_region", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["enterprise", "from_region", "to_region"]
    search_fields = ["enterprise__name", "enterprise__uscc"]

from django.contrib import admin

from config.admin import ReadOnlyAdminMixin
from registry.models import Enterprise, Membership, RegistryEntry, TierChange


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

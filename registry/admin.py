from django.contrib import admin

from registry.models import Enterprise, Membership, RegistryEntry, TierChange


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "region", "industry", "category", "size", "created_at"]
    list_filter = ["industry", "category", "size"]
    list_select_related = ["region"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["region"]

    # Writes go through registry.services so that they are audited.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "enterprise", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["user", "enterprise"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RegistryEntry)
class RegistryEntryAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "tier", "category", "admitted_on"]
    list_filter = ["tier", "category"]
    list_select_related = ["enterprise"]

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(TierChange)

from django.contrib import admin

from config.admin import ReadOnlyAdminMixin
from policies.models import Policy, PolicyGrant


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "mode", "jurisdiction", "status", "valid_until"]
    list_filter = ["status", "kind", "mode"]
    list_select_related = ["jurisdiction"]
    search_fields = ["title", "department"]


@admin.register(PolicyGrant)
class PolicyGrantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["policy", "enterprise", "status", "due_on"]
    list_filter = ["status"]
    list_select_related = ["policy", "enterprise"]

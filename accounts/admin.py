from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Organisation, Region, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "phone", "full_name", "role", "organisation", "region", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    list_select_related = ["organisation", "region"]
    search_fields = ["email", "phone", "full_name"]
    raw_id_fields = ["organisation", "region"]
    fieldsets = [
        (None, {"fields": ["email", "phone", "password"]}),
        ("", {"fields": ["full_name", "role", "organisation", "region"]}),
        ("", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"fields": ["email", "phone", "full_name", "role", "region", "password1", "password2"]},
        ),
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        return False  # GB/T 2260 data ships with the code

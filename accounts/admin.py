from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from accounts.models import ApiToken, Organisation, Region, User
from accounts.services import revoke_api_token


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


# DRF's own token admin would list keys in clear; the portal's tokens are ApiToken.
admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Prefix, owner and dates only: the key is never stored and the digest never shown."""

    list_display = ["prefix", "user", "created", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["prefix", "user__email"]
    fields = ["prefix", "user", "created", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # keys are issued through the API, where they are shown once

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("撤销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            revoke_api_token(token, actor=request.user)
        self.message_user(request, _("所选令牌已撤销。"))

"""Read-mostly admin views of the scenario app: every state change goes through services."""

from django.contrib import admin

from scenarios.models import (
    Award,
    CatalogueEntry,
    FirstPurchase,
    Publisher,
    Response,
    Scenario,
    ScenarioList,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Publisher)
class PublisherAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "kind", "jurisdiction", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["organisation", "jurisdiction"]


@admin.register(ScenarioList)
class ScenarioListAdmin(ReadOnlyAdmin):
    list_display = ["title", "version", "publisher", "jurisdiction", "issued_on"]
    list_select_related = ["publisher__organisation", "jurisdiction"]


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "deadline", "scenario_list"]
    list_filter = ["status", "kind", "nature"]
    search_fields = ["title"]
    list_select_related = ["scenario_list"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["scenario", "enterprise", "status", "price"]
    list_filter = ["status"]
    list_select_related = ["scenario", "enterprise"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["response", "form", "amount", "outcome"]
    list_select_related = ["response__scenario", "response__enterprise"]


@admin.register(FirstPurchase)
class FirstPurchaseAdmin(ReadOnlyAdmin):
    list_display = ["product_name", "enterprise", "amount", "eligible", "subsidy", "decision"]
    list_select_related = ["enterprise"]


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(ReadOnlyAdmin):
    list_display = ["product_name", "enterprise", "listed_at"]
    list_select_related = ["enterprise"]

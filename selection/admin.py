from django.contrib import admin

from config.admin import ReadOnlyAdminMixin
from selection.models import Application, SelectionRound


@admin.register(SelectionRound)
class SelectionRoundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "year", "region", "status"]
    list_filter = ["status", "year"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["enterprise", "round", "status", "indicator_score", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["enterprise", "round"]
    search_fields = ["enterprise__name", "enterprise__uscc"]

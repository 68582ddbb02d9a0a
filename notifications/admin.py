from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at", "emailed_at"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__email"]
    readonly_fields = [f.name for f in Notification._meta.fields]

class ReadOnlyAdminMixin:
    """Admin pages that only show: writes go through services, which audit them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

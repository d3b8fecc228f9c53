class ReadOnlyAdmin:
    """For records that only services may write (they add the timeline entry and the flags).

    The admin shows them for support work; a change goes through the console or the API.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

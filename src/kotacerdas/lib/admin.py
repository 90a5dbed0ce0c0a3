"""Django's admin bound by the platform's rules.

The admin writes rows directly: it knows nothing of a declared conflict, a confirmed run, a
published decision or a submitted questionnaire. A model governed by such a rule is therefore
either read-only in the admin (:class:`ReadOnlyAdmin`: changed only through the platform's pages
and services, which keep the rule) or guarded per object (:class:`GuardedAdmin`: changed or
deleted only while the rule allows it). The bulk "delete selected" action is removed from both,
since it checks no object's rule.
"""


class _NoBulkDelete:
    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdmin(_NoBulkDelete):
    """View only: the model is changed through the platform's pages, never here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GuardedAdmin(_NoBulkDelete):
    """Changed and deleted only while ``editable(obj)`` / ``deletable(obj)`` say the rule allows it."""

    def editable(self, obj):
        return True

    def deletable(self, obj):
        return self.editable(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self.editable(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or self.deletable(obj))

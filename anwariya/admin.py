"""The admin's writes go through the services: a form whose save is a service call, and actions
that call one per selected row. (And the admin of ``anwariya``'s own idempotency keys.)"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.db import router, transaction

from anwariya.errors import DomainError
from anwariya.forms import apply_domain_errors
from anwariya.models import IdempotencyKey


class ServiceModelForm(forms.ModelForm):
    """An admin form whose save is a service call, so the admin obeys the service's rules.

    Django's model validation is skipped: the service validates. Once every field is valid,
    ``_post_clean`` calls ``save_through_service()``, which writes through the service and
    returns the saved instance; a ``DomainError`` it raises becomes the form's errors (on the
    field it names; ``error_fields`` maps a service's name to the form's), and the service
    wrote nothing. ``save()`` then only hands over that instance. Use it with
    ``ServiceFormAdmin``, whose ``save_model`` writes nothing more.
    """

    error_fields: dict[str, str] = {}
    actor = None  # the admin who saves, set by ``ServiceFormAdmin`` for services that record one

    def save_through_service(self):
        raise NotImplementedError

    def changed_fields(self) -> dict:
        """The cleaned values of the fields the admin changed: what an update passes on."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data}

    def _post_clean(self):
        if self.errors:
            return
        try:
            self.instance = self.save_through_service()
        except DomainError as error:
            apply_domain_errors(self, error, self.error_fields)

    def save(self, commit=True):
        self.save_m2m = _nothing  # the service set the many-to-many fields too
        return self.instance


def _nothing():
    pass


class ServiceFormAdmin:
    """A ModelAdmin mixin for a ``ServiceModelForm``: the form's service call saved the object
    (and its many-to-many fields), so the admin's own save writes nothing.

    The form writes while it validates, before the admin checks the inlines; should the admin
    then refuse an inline and show the page again, that write is rolled back."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})  # per request: no shared state

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            shown_again = request.method == "POST" and response.status_code == 200
            if shown_again and IS_POPUP_VAR not in request.POST:  # a popup's success is a 200 page
                transaction.set_rollback(True)
        return response

    def save_model(self, request, obj, form, change):
        pass


def service_action(run, *, name, description, permission="change"):
    """An admin action that runs ``run(request, obj)`` — a service call that returns what it did,
    in words — on each selected row, in key order, each in its own transaction.

    A service's refusal (``DomainError``) is a warning naming the row, and the other rows go on;
    what was done is told in a message and kept in the row's history. ``permission``: the
    admin permission the action needs (``"delete"`` for a service that deletes the row).
    """

    def action(modeladmin, request, queryset):
        for obj in queryset.order_by("pk"):
            label = str(obj)
            try:
                with transaction.atomic():
                    if permission == "delete":
                        modeladmin.log_deletions(request, [obj])  # before the row is gone
                    done = run(request, obj)
                    if permission != "delete":
                        modeladmin.log_change(request, obj, done)
            except DomainError as error:
                modeladmin.message_user(request, f"{label}: {error.detail}", messages.WARNING)
            else:
                modeladmin.message_user(request, f"{label}: {done}", messages.SUCCESS)

    action.__name__ = name
    return admin.action(description=description, permissions=[permission])(action)


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "response_status", "created_at"]
    list_select_related = ["user"]
    search_fields = ["key", "user__email"]
    readonly_fields = ["user", "key", "fingerprint", "response_status", "response_body", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

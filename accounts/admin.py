from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import SetPasswordMixin, UserChangeForm
from django.db import transaction
from django.template.response import TemplateResponse

from accounts.closing import account_close
from accounts.export import export_send
from accounts.models import Influencer, Role, User, Vendor, Wallet, WalletTransaction
from accounts.services import user_create, user_update
from accounts.wallet import MAX_REASON_LENGTH, MAX_TOKEN_AMOUNT, wallet_grant
from anwariya.admin import ServiceFormAdmin, ServiceModelForm, service_action
from anwariya.errors import DomainError

admin.site.site_header = "Anwariya admin"
admin.site.site_title = "Anwariya admin"
admin.site.index_title = "Run the platform"


class UserCreationForm(SetPasswordMixin, ServiceModelForm):
    """A user the admin adds is signed up by ``user_create``, like on the sign-up page: the same
    checks (email, names, role, password) and the signup grant in their wallet."""

    password1, password2 = SetPasswordMixin.create_password_fields()
    error_fields = {"password": "password2"}  # where Django's own form shows a weak password
    forced_role = None  # set by the Vendors and Influencers lists

    class Meta:
        model = User
        fields = ["email", "display_name", "role", "business_name", "is_staff"]

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        return cleaned

    def save_through_service(self):
        data = self.cleaned_data
        return user_create(
            email=data["email"],
            password=data["password1"],
            role=self.forced_role or data.get("role") or "",
            display_name=data["display_name"],
            business_name=data.get("business_name") or "",
            is_staff=bool(data.get("is_staff")),
        )


PROFILE_FIELDS = ("display_name", "business_name", "email")
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")


class UserChangeFormWithEmail(ServiceModelForm, UserChangeForm):
    """The profile fields change through ``user_update`` (the same checks as the account page; a
    new email is canonical, free, and the old address is told), on behalf of the user; access
    (active, admin, permissions) is the admin's own to set. The role is fixed once chosen."""

    forced_role = None

    class Meta:
        model = User
        fields = "__all__"

    def save_through_service(self):
        changes = self.changed_fields()
        user = User.objects.get(pk=self.instance.pk)
        profile = {name: changes[name] for name in PROFILE_FIELDS if name in changes}
        with transaction.atomic():
            if profile:
                user = user_update(user=user, actor=self.actor, **profile)
            access = {name: changes[name] for name in ACCESS_FIELDS if name in changes}
            for name, value in access.items():
                setattr(user, name, value)
            if access:
                user.save(update_fields=list(access))
            for name in ("groups", "user_permissions"):
                if name in changes:
                    getattr(user, name).set(changes[name])
        return user


class GrantTokensForm(forms.Form):
    amount = forms.IntegerField(min_value=1, max_value=MAX_TOKEN_AMOUNT, help_text="Tokens for each selected user.")
    reason = forms.CharField(max_length=MAX_REASON_LENGTH, help_text="Shown to the users in their wallet history.")


# The intermediate page of the "Grant tokens" action, in the admin's own look.
GRANT_TOKENS_TEMPLATE = "admin/accounts/grant_tokens.html"
CONFIRM_TEMPLATE = "admin/accounts/confirm_account_action.html"


def _close(request, user):
    old_email = user.email
    account_close(user=user, actor=request.user)
    return f"Account of {old_email} closed; its personal data is erased."


def _export(request, user):
    return export_send(user=user, base_url=request.build_absolute_uri("/"))


def confirmed_action(run, *, name, description, explanation, permission="change"):
    """A ``service_action`` that first shows a confirmation page listing the selected users."""
    act = service_action(run, name=name, description=description, permission=permission)

    def action(modeladmin, request, queryset):
        if "apply" in request.POST:
            return act(modeladmin, request, queryset)
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description,
            "explanation": explanation,
            "opts": modeladmin.model._meta,
            "users": list(queryset.order_by("pk")),
            "action": name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, CONFIRM_TEMPLATE, context)

    action.__name__ = name
    return admin.action(description=description, permissions=[permission])(action)


close_accounts = confirmed_action(
    _close,
    name="close_accounts",
    description="Close account",
    explanation=(
        "Each account is closed as if its owner did it: they can no longer log in, their tokens and sessions "
        "are revoked, their name, email, profile and Telegram link are erased and their tokens forfeited. "
        "Bills stay. A vendor with a broadcast scheduled, running or paused is refused. This cannot be undone."
    ),
)
export_accounts = confirmed_action(
    _export,
    name="export_accounts",
    description="Export data",
    explanation=(
        "Each user's data export is built in the background and emailed to them as a download link that "
        "works only when they are logged in. Nothing is shown to you."
    ),
)


@admin.register(User)
class UserAdmin(ServiceFormAdmin, DjangoUserAdmin):
    form = UserChangeFormWithEmail
    add_form = UserCreationForm
    actions = ["grant_tokens", export_accounts, close_accounts]
    list_display = ["email", "display_name", "role", "business_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", "is_active", "closed_at", "date_joined"]
    search_fields = ["email", "display_name", "business_name"]
    ordering = ["-date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "role", "business_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined", "closed_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "role", "business_name", "is_staff", "password1", "password2"],
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A vendor's products and bills, an influencer's applications: the role stays what it is.
        return ["date_joined", "last_login"] if obj is None else ["role", "date_joined", "last_login", "closed_at"]

    @admin.action(description="Grant tokens", permissions=["grant_tokens"])
    def grant_tokens(self, request, queryset):
        """Ask for an amount and a reason, then grant them to every selected user, all or none."""
        form = GrantTokensForm(request.POST if "apply" in request.POST else None)
        users = list(queryset.order_by("pk"))  # wallets are changed in key order: no deadlocks between admins
        if form.is_valid():
            amount, reason = form.cleaned_data["amount"], form.cleaned_data["reason"]
            try:
                with transaction.atomic():
                    for user in users:
                        wallet_grant(user=user, amount=amount, reason=reason, reference="admin", actor=request.user)
            except DomainError as error:
                self.message_user(request, error.detail, messages.ERROR)
                return None
            plural = "" if len(users) == 1 else "s"
            self.message_user(request, f"Granted {amount} tokens to {len(users)} user{plural}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Grant tokens",
            "opts": self.model._meta,
            "form": form,
            "users": users,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, GRANT_TOKENS_TEMPLATE, context)

    def has_grant_tokens_permission(self, request):
        return request.user.has_perm("accounts.change_wallet")


class RoleUserAdmin(UserAdmin):
    """A list of one role's users; new users added here get that role."""

    role = None
    list_display = ["email", "display_name", "business_name", "is_active", "date_joined", "last_login"]
    list_filter = ["is_active", "closed_at", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = {"role"} if obj else {"role", "is_staff"}  # a new vendor or influencer is no admin
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields.pop("role", None)
        form.forced_role = self.role
        return form


@admin.register(Vendor)
class VendorAdmin(RoleUserAdmin):
    role = Role.VENDOR


@admin.register(Influencer)
class InfluencerAdmin(RoleUserAdmin):
    role = Role.INFLUENCER
    list_display = ["email", "display_name", "is_active", "date_joined", "last_login"]


class WalletTransactionInline(admin.TabularInline):
    model = WalletTransaction
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "amount", "balance_after", "reason", "reference", "created_by"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Wallet)
class WalletAdmin(admin.ModelAdmin):
    """Balances change only through the ledger: grant with the users' action, or adjust over the API."""

    list_display = ["user", "balance", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    ordering = ["-updated_at"]
    fields = ["user", "balance", "created_at", "updated_at"]
    readonly_fields = fields
    inlines = [WalletTransactionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # saving a loaded wallet could write back a stale balance

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WalletTransaction)
class WalletTransactionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user_email", "kind", "amount", "balance_after", "reason", "reference", "created_by"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["wallet__user", "created_by"]
    search_fields = ["wallet__user__email", "reason", "reference"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]

    @admin.display(description="user", ordering="wallet__user__email")
    def user_email(self, transaction):
        return transaction.wallet.user.email

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

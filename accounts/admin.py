from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import Influencer, Role, User, UserManager, Vendor

admin.site.site_header = "Anwariya admin"
admin.site.site_title = "Anwariya admin"
admin.site.index_title = "Run the platform"


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "display_name", "role", "business_name"]

    forced_role = None  # set by the Vendors and Influencers lists

    def clean_email(self):
        return UserManager.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        role = self.forced_role or cleaned.get("role")
        if role == Role.VENDOR and not (cleaned.get("business_name") or "").strip():
            self.add_error("business_name", "Vendors need a business name.")
        return cleaned


class UserChangeFormWithEmail(UserChangeForm):
    forced_role = None

    class Meta:
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        role = self.forced_role or cleaned.get("role", self.instance.role)
        if role == Role.VENDOR and not (cleaned.get("business_name") or "").strip():
            self.add_error("business_name", "Vendors need a business name.")
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeFormWithEmail
    add_form = UserCreationForm
    list_display = ["email", "display_name", "role", "business_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "display_name", "business_name"]
    ordering = ["-date_joined"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "role", "business_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "role", "business_name", "password1", "password2"],
            },
        ),
    ]


class RoleUserAdmin(UserAdmin):
    """A list of one role's users; new users added here get that role."""

    role = None
    list_display = ["email", "display_name", "business_name", "is_active", "date_joined", "last_login"]
    list_filter = ["is_active", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "role"]}) for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields.pop("role", None)
        form.forced_role = self.role
        return form

    def save_model(self, request, obj, form, change):
        obj.role = self.role
        super().save_model(request, obj, form, change)


@admin.register(Vendor)
class VendorAdmin(RoleUserAdmin):
    role = Role.VENDOR


@admin.register(Influencer)
class InfluencerAdmin(RoleUserAdmin):
    role = Role.INFLUENCER
    list_display = ["email", "display_name", "is_active", "date_joined", "last_login"]

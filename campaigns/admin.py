from django.contrib import admin

from accounts.models import Role, User
from anwariya.admin import ServiceFormAdmin, ServiceModelForm, service_action
from campaigns import services
from campaigns.forms import landing_url_field
from campaigns.models import Application, Campaign
from catalog.models import Product


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    fields = ["influencer", "kind", "status", "referral_code", "created_at", "decided_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RoleLimitedForeignKeys:
    """Admin forms offer only users of the right role (a campaign's vendor is a vendor)."""

    role_of_field = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.role_of_field:
            kwargs["queryset"] = User.objects.filter(role=self.role_of_field[db_field.name])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


CAMPAIGN_CONTENT = [
    "title",
    "description",
    "product",
    "niches",
    "deliverables",
    "budget",
    "start_date",
    "end_date",
    "landing_url",
]
CAMPAIGN_STATUS = ["status", "created_at", "updated_at", "opened_at", "closed_at"]


class CampaignAdminForm(ServiceModelForm):
    """Adds a draft with ``campaign_create`` for the chosen vendor; edits the content with
    ``campaign_update``. Either refuses another vendor's product (an error on ``product``)."""

    landing_url = landing_url_field()

    class Meta:
        model = Campaign
        fields = ["vendor", *CAMPAIGN_CONTENT]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "product" in self.fields:
            self.fields["product"].queryset = Product.objects.filter(vendor_id=self.instance.vendor_id)

    def save_through_service(self):
        if self.instance.pk is None:
            return services.campaign_create(**self.cleaned_data)
        changes = self.changed_fields()
        return services.campaign_update(campaign=self.instance, **changes) if changes else self.instance


def _open(request, campaign):
    services.campaign_open(campaign=campaign)
    return "Opened: influencers can find it and apply."


def _close(request, campaign):
    services.campaign_close(campaign=campaign)
    return "Closed to new applications."


def _delete(request, campaign):
    services.campaign_delete(campaign=campaign)
    return "The draft was deleted."


@admin.register(Campaign)
class CampaignAdmin(ServiceFormAdmin, RoleLimitedForeignKeys, admin.ModelAdmin):
    """Campaigns change through their services: a new one is a draft (``campaign_create``), its
    content is edited with ``campaign_update``, and the actions open, close or delete (a draft)
    it. Its vendor, status and their times are read-only; a closed campaign can only be viewed."""

    form = CampaignAdminForm
    role_of_field = {"vendor": Role.VENDOR}
    list_display = ["title", "vendor", "status", "budget", "start_date", "end_date", "created_at"]
    list_filter = ["status", "niches", "start_date"]
    list_select_related = ["vendor"]
    search_fields = ["title", "vendor__email", "vendor__business_name"]
    raw_id_fields = ["vendor", "product"]
    filter_horizontal = ["niches"]
    actions = [
        service_action(_open, name="open_campaigns", description="Open the selected drafts"),
        service_action(_close, name="close_campaigns", description="Close the selected open campaigns"),
        service_action(_delete, name="delete_drafts", description="Delete the selected drafts", permission="delete"),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["vendor", *CAMPAIGN_CONTENT]})]
        return [(None, {"fields": ["vendor", *CAMPAIGN_CONTENT]}), ("Status", {"fields": CAMPAIGN_STATUS})]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["vendor", *CAMPAIGN_STATUS]

    def get_inlines(self, request, obj):
        return [ApplicationInline] if obj else []

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting is campaign_delete's: "Delete the selected drafts"
        return actions

    def has_change_permission(self, request, obj=None):
        closed = obj is not None and obj.status == Campaign.Status.CLOSED
        return super().has_change_permission(request, obj) and not closed

    def has_delete_permission(self, request, obj=None):
        draft = obj is None or obj.status == Campaign.Status.DRAFT
        return super().has_delete_permission(request, obj) and draft

    def delete_model(self, request, obj):
        services.campaign_delete(campaign=obj)


def _accept(request, application):
    decider = services.application_decider(application)
    services.application_accept(application=application, actor=decider)
    return f"Accepted on behalf of {decider.email}; referral code {application.referral_code}."


def _reject(request, application):
    decider = services.application_decider(application)
    services.application_reject(application=application, actor=decider)
    return f"{application.get_status_display()} on behalf of {decider.email}."


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications and invitations are made on the site and decided by the actions.

    The admin is neither the vendor nor the influencer, so an action acts as the one who decides
    (``application_decider``: the campaign's vendor on an application, the invited influencer on
    an invitation) and says so: the service's rules (still waiting, a referral code, the chat the
    join opens) hold as if they had clicked, and the row's history names the admin."""

    list_display = ["campaign", "influencer", "kind", "status", "referral_code", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["campaign", "campaign__vendor", "influencer"]
    search_fields = ["campaign__title", "influencer__email", "referral_code"]
    fields = ["campaign", "influencer", "kind", "status", "message", "referral_code", "created_at", "decided_at"]
    readonly_fields = fields
    actions = [
        service_action(_accept, name="accept_applications", description="Accept, as the vendor or invited influencer"),
        service_action(_reject, name="reject_applications", description="Reject or decline, as the one who decides"),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)  # the list's actions; rows are viewed

    def has_delete_permission(self, request, obj=None):
        return False

"""The campaign and application admin write through the services: forms that call them, actions."""

import datetime

import pytest
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory, give_tokens
from campaigns import services
from campaigns.models import Application, Campaign
from campaigns.tests.factories import CampaignFactory
from catalog.tests.factories import ProductFactory
from chat.models import Chat
from profiles.tests.factories import niche

pytestmark = pytest.mark.django_db

ADD = reverse("admin:campaigns_campaign_add")
CAMPAIGNS = reverse("admin:campaigns_campaign_changelist")
APPLICATIONS = reverse("admin:campaigns_application_changelist")


@pytest.fixture
def admin_client(client):
    client.admin = AdminFactory()
    client.force_login(client.admin)
    return client


def change_url(campaign):
    return reverse("admin:campaigns_campaign_change", args=[campaign.pk])


def campaign_form(**overrides):
    """What the campaign admin form posts, with its (read-only) applications inline."""
    return {
        "title": "Monsoon tea",
        "description": "Show our new masala chai.",
        "deliverables": "1 reel",
        "budget": "15000.00",
        "start_date": "2026-12-01",
        "end_date": "2026-12-31",
        "niches": [niche("food").pk],
        "product": "",
        "applications-TOTAL_FORMS": "0",
        "applications-INITIAL_FORMS": "0",
        **overrides,
    }


def run_action(client, changelist, action, rows):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [row.pk for row in rows]}
    response = client.post(changelist, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return [(message.level_tag, message.message) for message in get_messages(response.wsgi_request)]


def form_errors(response):
    assert response.status_code == 200
    return response.context["adminform"].form.errors


# --- CampaignAdmin: add and edit through the services ---------------------------------------------


def test_admin_adds_a_campaign_as_a_draft_of_the_chosen_vendor(admin_client):
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor)
    response = admin_client.post(ADD, campaign_form(vendor=vendor.pk, product=product.pk, title="  Monsoon tea "))
    assert response.status_code == 302, form_errors(response)
    campaign = Campaign.objects.get()
    assert (campaign.vendor, campaign.product, campaign.title) == (vendor, product, "Monsoon tea")
    assert (campaign.status, campaign.opened_at) == (Campaign.Status.DRAFT, None)
    assert [n.slug for n in campaign.niches.all()] == ["food"]
    assert LogEntry.objects.get().user == admin_client.admin


def test_admin_add_form_offers_no_status_and_only_vendors(admin_client):
    form = admin_client.get(ADD).context["adminform"].form
    assert "status" not in form.fields
    assert "opened_at" not in form.fields
    influencer = InfluencerFactory()
    errors = form_errors(admin_client.post(ADD, campaign_form(vendor=influencer.pk)))
    assert list(errors) == ["vendor"]
    assert not Campaign.objects.exists()


def test_admin_add_with_another_vendors_product_is_an_error_on_product(admin_client):
    vendor, other = VendorFactory(), VendorFactory()
    errors = form_errors(
        admin_client.post(ADD, campaign_form(vendor=vendor.pk, product=ProductFactory(vendor=other).pk))
    )
    assert errors["product"] == ["Choose one of your own products."]
    assert not Campaign.objects.exists()


def test_admin_add_shows_the_services_errors_on_their_fields(admin_client):
    errors = form_errors(admin_client.post(ADD, campaign_form(vendor=VendorFactory().pk, end_date="2026-11-01")))
    assert errors == {"end_date": ["The campaign must end on or after its start date."]}
    assert not Campaign.objects.exists()


def test_admin_edits_the_content_and_keeps_vendor_status_and_times_read_only(admin_client):
    campaign = CampaignFactory(status="draft", title="Old title")
    other = VendorFactory()
    response = admin_client.post(
        change_url(campaign),
        campaign_form(
            title="New title",
            budget="900.50",
            vendor=other.pk,
            status="closed",
            opened_at_0="2026-01-01",
            opened_at_1="10:00",
        ),
    )
    assert response.status_code == 302, form_errors(response)
    campaign.refresh_from_db()
    assert (campaign.title, str(campaign.budget)) == ("New title", "900.50")
    assert campaign.vendor_id != other.pk
    assert (campaign.status, campaign.opened_at) == (Campaign.Status.DRAFT, None)


def test_admin_edit_attaches_only_the_campaign_vendors_products(admin_client):
    campaign = CampaignFactory()
    foreign = ProductFactory(vendor=VendorFactory())
    errors = form_errors(admin_client.post(change_url(campaign), campaign_form(product=foreign.pk)))
    assert list(errors) == ["product"]
    campaign.refresh_from_db()
    assert campaign.product is None
    own = ProductFactory(vendor=campaign.vendor)
    assert admin_client.post(change_url(campaign), campaign_form(product=own.pk)).status_code == 302
    campaign.refresh_from_db()
    assert campaign.product == own


def test_admin_edit_with_end_before_start_is_a_form_error_and_changes_nothing(admin_client):
    campaign = CampaignFactory(title="Kept")
    errors = form_errors(admin_client.post(change_url(campaign), campaign_form(title="Lost", end_date="2026-11-01")))
    assert errors["end_date"] == ["The campaign must end on or after its start date."]
    campaign.refresh_from_db()
    assert campaign.title == "Kept"


def test_a_refused_inline_rolls_back_the_campaign_the_form_saved(admin_client):
    campaign = CampaignFactory(title="Kept")
    broken = campaign_form(title="Lost")
    del broken["applications-TOTAL_FORMS"]  # the inline's management form is missing: the page is shown again
    assert admin_client.post(change_url(campaign), broken).status_code == 200
    campaign.refresh_from_db()
    assert campaign.title == "Kept"


def test_a_closed_campaign_is_view_only_in_the_admin(admin_client):
    campaign = CampaignFactory(status="closed", title="Done")
    page = admin_client.get(change_url(campaign))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert admin_client.post(change_url(campaign), campaign_form(title="Reopened?")).status_code == 403
    campaign.refresh_from_db()
    assert campaign.title == "Done"


# --- CampaignAdmin: the lifecycle as actions --------------------------------------------------


def test_open_action_opens_drafts_and_warns_about_the_others(admin_client):
    draft, already_open = CampaignFactory(status="draft", title="Draft"), CampaignFactory(title="Live")
    messages = run_action(admin_client, CAMPAIGNS, "open_campaigns", [draft, already_open])
    assert ("success", "Draft: Opened: influencers can find it and apply.") in messages
    assert ("warning", "Live: Only a draft can be opened; this campaign is open.") in messages
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.OPEN
    assert draft.opened_at is not None
    assert LogEntry.objects.get().object_id == str(draft.pk)


def test_close_action_closes_open_campaigns_only(admin_client):
    live, draft = CampaignFactory(title="Live"), CampaignFactory(status="draft", title="Draft")
    messages = run_action(admin_client, CAMPAIGNS, "close_campaigns", [live, draft])
    assert ("success", "Live: Closed to new applications.") in messages
    assert ("warning", "Draft: Only an open campaign can be closed; this one is draft.") in messages
    live.refresh_from_db()
    draft.refresh_from_db()
    assert (live.status, draft.status) == (Campaign.Status.CLOSED, Campaign.Status.DRAFT)
    assert live.closed_at is not None


def test_only_drafts_are_deleted_in_the_admin(admin_client):
    draft, live = CampaignFactory(status="draft", title="Draft"), CampaignFactory(title="Live")
    actions = admin_client.get(CAMPAIGNS).context["action_form"].fields["action"].choices
    assert "delete_selected" not in dict(actions)
    messages = run_action(admin_client, CAMPAIGNS, "delete_drafts", [draft, live])
    assert ("success", "Draft: The draft was deleted.") in messages
    assert ("warning", "Live: Only drafts can be deleted; close the campaign instead.") in messages
    assert list(Campaign.objects.values_list("title", flat=True)) == ["Live"]
    delete_live = reverse("admin:campaigns_campaign_delete", args=[live.pk])
    assert admin_client.post(delete_live, {"post": "yes"}).status_code == 403
    other_draft = CampaignFactory(status="draft")
    delete_draft = reverse("admin:campaigns_campaign_delete", args=[other_draft.pk])
    assert admin_client.post(delete_draft, {"post": "yes"}).status_code == 302
    assert not Campaign.objects.filter(pk=other_draft.pk).exists()


# --- ApplicationAdmin: read-only, decided by actions ----------------------------------------------


def application_change_url(application):
    return reverse("admin:campaigns_application_change", args=[application.pk])


def test_accept_action_accepts_as_the_campaigns_vendor_with_a_code_and_a_chat(admin_client):
    campaign = CampaignFactory(title="Chai")
    influencer = InfluencerFactory(email="ira@example.com")
    application = services.application_create(campaign=campaign, influencer=influencer, pitch="Me!")
    messages = run_action(admin_client, APPLICATIONS, "accept_applications", [application])
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert len(application.referral_code) == 8
    expected = f"Accepted on behalf of {campaign.vendor.email}; referral code {application.referral_code}."
    assert messages == [("success", f"{application}: {expected}")]
    assert Chat.objects.filter(vendor=campaign.vendor, influencer=influencer, campaign=campaign).exists()
    entry = LogEntry.objects.get()
    assert (entry.user, entry.object_id, entry.change_message) == (admin_client.admin, str(application.pk), expected)


def test_accept_action_on_an_invitation_acts_as_the_invited_influencer(admin_client):
    campaign = CampaignFactory()
    give_tokens(campaign.vendor, 50)
    influencer = InfluencerFactory(email="zoya@example.com")
    invitation = services.campaign_invite(campaign=campaign, vendor=campaign.vendor, influencer=influencer)
    messages = run_action(admin_client, APPLICATIONS, "accept_applications", [invitation])
    invitation.refresh_from_db()
    assert invitation.status == Application.Status.ACCEPTED
    assert invitation.referral_code
    assert "on behalf of zoya@example.com" in messages[0][1]


def test_reject_action_rejects_an_application_and_declines_an_invitation(admin_client):
    campaign = CampaignFactory()
    give_tokens(campaign.vendor, 50)
    application = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="Me!")
    invitation = services.campaign_invite(campaign=campaign, vendor=campaign.vendor, influencer=InfluencerFactory())
    messages = run_action(admin_client, APPLICATIONS, "reject_applications", [application, invitation])
    assert [level for level, _ in messages] == ["success", "success"]
    application.refresh_from_db()
    invitation.refresh_from_db()
    assert (application.status, application.referral_code) == (Application.Status.REJECTED, None)
    assert (invitation.status, invitation.referral_code) == (Application.Status.DECLINED, None)


def test_rejecting_an_accepted_application_is_a_warning_not_a_500(admin_client):
    campaign = CampaignFactory()
    application = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="Me!")
    services.application_accept(application=application, actor=campaign.vendor)
    messages = run_action(admin_client, APPLICATIONS, "reject_applications", [application])
    assert messages == [("warning", f"{application}: This application is accepted; it can no longer be decided.")]
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert application.referral_code


def test_an_application_is_view_only_in_the_admin(admin_client):
    campaign = CampaignFactory()
    application = services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="Me!")
    page = admin_client.get(application_change_url(application))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    forged = {"status": "accepted", "referral_code": "FORGED01", "campaign": campaign.pk}
    assert admin_client.post(application_change_url(application), forged).status_code == 403
    application.refresh_from_db()
    assert (application.status, application.referral_code) == (Application.Status.PENDING, None)
    assert admin_client.get(reverse("admin:campaigns_application_add")).status_code == 403
    delete = reverse("admin:campaigns_application_delete", args=[application.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def test_application_actions_need_the_change_permission(client):
    from django.contrib.auth.models import Permission

    staff = VendorFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_application"))
    client.force_login(staff)
    page = client.get(APPLICATIONS)
    assert page.status_code == 200
    assert page.context["action_form"] is None  # no action is offered: accepting needs "change"


def test_the_campaign_admin_lists_load(admin_client):
    campaign = CampaignFactory(start_date=datetime.date(2026, 12, 1))
    services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="Me!")
    assert campaign.title in admin_client.get(CAMPAIGNS).content.decode()
    assert campaign.title in admin_client.get(APPLICATIONS).content.decode()
    assert admin_client.get(change_url(campaign)).status_code == 200

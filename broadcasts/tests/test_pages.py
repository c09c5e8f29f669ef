import pytest
from django.urls import reverse

from accounts.tests.factories import InfluencerFactory, VendorFactory
from accounts.wallet import wallet_grant
from broadcasts import services
from broadcasts.models import Broadcast
from campaigns.models import Application
from campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(client):
    vendor = VendorFactory()
    wallet_grant(user=vendor, amount=50, reason="test tokens")
    campaign = CampaignFactory(vendor=vendor, title="Winter blends")
    fans = [InfluencerFactory(display_name=name) for name in ("Asha", "Bilal")]
    for fan in fans:
        Application.objects.create(campaign=campaign, influencer=fan, status=Application.Status.ACCEPTED, message="!")
    client.force_login(vendor)
    return vendor, campaign, fans


def compose(campaign, **extra):
    return {
        "title": "Tasting kit",
        "body": "Hello {name}! A kit for {campaign} is on its way.",
        "audience": "campaign",
        "campaign": campaign.pk,
        "channels": ["chat"],
        **extra,
    }


def test_compose_counts_the_audience_without_saving(client, shop):
    _, campaign, _ = shop
    page = client.get(reverse("broadcasts:broadcast-create"), {"campaign": campaign.pk})
    assert page.status_code == 200
    assert "Check audience" in page.content.decode()

    checked = client.post(reverse("broadcasts:broadcast-create"), {**compose(campaign), "preview": "1"})
    text = checked.content.decode()
    assert "<strong>2</strong> influencers in this audience" in text
    assert "Asha" in text
    assert not Broadcast.objects.exists()


def test_save_and_start_sends_and_the_influencer_sees_it_in_chats(client, shop, django_capture_on_commit_callbacks):
    _, campaign, fans = shop
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("broadcasts:broadcast-create"), {**compose(campaign), "start": "1"}, follow=True)
    assert "Broadcast started." in response.content.decode()
    broadcast = Broadcast.objects.get()
    progress = client.get(reverse("broadcasts:broadcast-detail", args=[broadcast.pk])).content.decode()
    assert "Finished" in progress
    assert '<dd data-field="sent">2</dd>' in progress
    assert (broadcast.status, broadcast.sent) == ("finished", 2)

    deliveries = client.get(reverse("broadcasts:broadcast-deliveries", args=[broadcast.pk]), {"status": "sent"})
    assert deliveries.content.decode().count("In-app chat") == 2

    client.force_login(fans[0])
    chats = client.get(reverse("chat:chat-list")).content.decode()
    assert "Winter blends" in chats
    assert "Hello Asha! A kit for Winter blends is on its way." in chats or "Tasting kit" in chats


def test_errors_show_on_the_form(client, shop):
    _, campaign, _ = shop
    response = client.post(
        reverse("broadcasts:broadcast-create"), {**compose(campaign), "body": "Hi {nickname}", "save": "1"}
    )
    assert response.status_code == 200
    assert "Unknown placeholder {nickname}" in response.content.decode()
    response = client.post(reverse("broadcasts:broadcast-create"), {**compose(campaign), "channels": [], "save": "1"})
    assert "This field is required." in response.content.decode()
    assert not Broadcast.objects.exists()


def test_draft_edit_delete_and_lifecycle_buttons(client, shop):
    vendor, campaign, _ = shop
    client.post(reverse("broadcasts:broadcast-create"), {**compose(campaign), "save": "1"})
    broadcast = Broadcast.objects.get()
    edited = client.post(
        reverse("broadcasts:broadcast-edit", args=[broadcast.pk]),
        {**compose(campaign, title="Tasting kit, v2"), "save": "1"},
        follow=True,
    )
    assert "Tasting kit, v2" in edited.content.decode()
    listing = client.get(reverse("broadcasts:broadcast-list")).content.decode()
    assert "Tasting kit, v2" in listing

    deleted = client.post(reverse("broadcasts:broadcast-action", args=[broadcast.pk, "delete"]), follow=True)
    assert "The draft was deleted." in deleted.content.decode()
    assert "No broadcasts yet" in deleted.content.decode()

    other = services.broadcast_create(
        vendor=vendor, actor=vendor, title="Paused one", body="Hi", audience="campaign", campaign=campaign
    )
    refused = client.post(reverse("broadcasts:broadcast-action", args=[other.pk, "resume"]), follow=True)
    assert "Only a paused or running broadcast can be resumed." in refused.content.decode()


def test_pages_are_the_vendors_own(client, shop):
    vendor, campaign, fans = shop
    broadcast = services.broadcast_create(
        vendor=vendor, actor=vendor, title="Mine", body="Hi", audience="campaign", campaign=campaign
    )
    client.force_login(VendorFactory())
    assert client.get(reverse("broadcasts:broadcast-detail", args=[broadcast.pk])).status_code == 404
    assert client.post(reverse("broadcasts:broadcast-action", args=[broadcast.pk, "start"])).status_code == 404
    client.force_login(fans[0])
    assert client.get(reverse("broadcasts:broadcast-list")).status_code == 403
    client.logout()
    assert client.get(reverse("broadcasts:broadcast-list")).status_code == 302


def test_admin_lists_broadcasts_with_deliveries_and_runs_their_actions(client, shop, settings):
    from accounts.tests.factories import AdminFactory
    from anwariya.celery import app

    vendor, campaign, fans = shop
    broadcast = services.broadcast_create(
        vendor=vendor, actor=vendor, title="Admin view", body="Hi {name}", audience="campaign", campaign=campaign
    )
    app.conf.task_always_eager = False  # started, nothing sent yet
    try:
        services.broadcast_start(broadcast=broadcast)
    finally:
        app.conf.task_always_eager = True
    client.force_login(AdminFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:broadcasts_broadcast_changelist"))
    assert "Admin view" in listing.content.decode()
    detail = client.get(reverse("admin:broadcasts_broadcast_change", args=[broadcast.pk])).content.decode()
    assert str(fans[0]) in detail
    assert str(fans[1]) in detail
    assert detail.count("Pending") >= 2
    cancelled = client.post(
        reverse("admin:broadcasts_broadcast_changelist"),
        {"action": "broadcast_cancel_action", "_selected_action": [broadcast.pk]},
        follow=True,
    )
    assert "Admin view: cancelled." in cancelled.content.decode()
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.skipped) == ("cancelled", 2)
    # A refusal of the service is a warning naming the broadcast, not an error page.
    refused = client.post(
        reverse("admin:broadcasts_broadcast_changelist"),
        {"action": "broadcast_pause_action", "_selected_action": [broadcast.pk]},
        follow=True,
    )
    assert refused.status_code == 200
    assert "Admin view: Only a running broadcast can be paused." in refused.content.decode()


def test_odd_urls_are_not_errors(client, shop):
    _, campaign, _ = shop
    assert client.get(reverse("broadcasts:broadcast-create"), {"campaign": "²"}).status_code == 200
    broadcast = services.broadcast_create(
        vendor=campaign.vendor, actor=campaign.vendor, title="T", body="B", campaign=campaign
    )
    assert client.post(reverse("broadcasts:broadcast-action", args=[broadcast.pk, "explode"])).status_code == 404


def test_a_running_broadcast_that_stopped_moving_offers_resume_which_finishes_it(
    client, shop, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from anwariya.celery import app
    from broadcasts.models import Delivery
    from chat.models import Message

    vendor, campaign, fans = shop
    broadcast = services.broadcast_create(
        vendor=vendor, actor=vendor, title="Stuck", body="Hi {name}", audience="campaign", campaign=campaign
    )
    app.conf.task_always_eager = False  # started; then its worker dies with both rows claimed
    try:
        services.broadcast_start(broadcast=broadcast)
    finally:
        app.conf.task_always_eager = True
    broadcast.refresh_from_db()
    Delivery.objects.update(status=Delivery.Status.SENDING, claimed_run=broadcast.run, attempts=1)
    url = reverse("broadcasts:broadcast-detail", args=[broadcast.pk])
    resume = reverse("broadcasts:broadcast-action", args=[broadcast.pk, "resume"])
    assert resume not in client.get(url).content.decode()  # it moved a moment ago

    Broadcast.objects.filter(pk=broadcast.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get(url).content.decode()
    assert resume in page
    assert "No progress for a while" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resume, follow=True)
    assert "Resumed." in response.content.decode()
    page = client.get(url).content.decode()
    assert '<dd data-field="sent">2</dd>' in page
    assert "No progress for a while" not in page
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent) == ("finished", 2)
    assert Message.objects.filter(chat__influencer__in=fans).count() == 2


def test_the_chat_list_preview_separates_a_broadcasts_title_from_its_body(client, django_capture_on_commit_callbacks):
    vendor = VendorFactory()
    wallet_grant(user=vendor, amount=10, reason="test")
    fan = InfluencerFactory(display_name="Asha")
    broadcast = services.broadcast_create(
        vendor=vendor,
        actor=vendor,
        title="Festive drop",
        body="Hi {name},\nthe kits ship Monday.",
        audience="list",
        recipients=[fan.pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_start(broadcast=broadcast)

    client.force_login(fan)
    page = client.get(reverse("chat:chat-list")).content.decode()
    assert "Festive drop — Hi Asha, the kits ship Monday." in page

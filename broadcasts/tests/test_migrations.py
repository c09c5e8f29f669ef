"""Moving Broadcast and Delivery from ``campaigns`` to ``broadcasts`` keeps every row (the list
audience's recipients among them), and the content types (so permissions and groups) move with them."""

import datetime

import pytest
from django.db import connection

from anwariya.tests.migrating import latest, migrate
from broadcasts.models import Broadcast, Delivery

# Before the move: campaigns owned the models, broadcasts did not exist (undoing broadcasts'
# migrations also undoes campaigns' one that dropped the models from its state).
BEFORE = [("broadcasts", None)]
MOVED = ("broadcast", "delivery")

pytestmark = pytest.mark.django_db(transaction=True)


def make_old_rows(apps):
    """Rows as the code before the move wrote them, with its own (historical) models."""
    User = apps.get_model("accounts", "User")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Campaign = apps.get_model("campaigns", "Campaign")
    Broadcast = apps.get_model("campaigns", "Broadcast")
    Delivery = apps.get_model("campaigns", "Delivery")
    Chat = apps.get_model("chat", "Chat")
    Message = apps.get_model("chat", "Message")

    vendor = User.objects.create(email="shop@example.com", role="vendor", display_name="Asha")
    fans = [
        User.objects.create(email=f"fan{i}@example.com", role="influencer", display_name=f"Fan {i}") for i in (1, 2)
    ]
    campaign = Campaign.objects.create(
        vendor=vendor,
        title="Chai week",
        description="Tea.",
        deliverables="1 reel",
        budget="100.00",
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2026, 12, 7),
    )
    sent_at = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
    finished = Broadcast.objects.create(
        vendor=vendor,
        created_by=vendor,
        title="Samples",
        body="Hi {name}, samples for {campaign}.",
        audience="campaign",
        campaign=campaign,
        channels=["chat", "telegram"],
        status="finished",
        run=2,
        recipient_count=2,
        total=4,
        sent=3,
        skipped=1,
        price_per_recipient=1,
        tokens_reserved=2,
        started_at=sent_at,
        finished_at=sent_at,
    )
    chat = Chat.objects.create(vendor=vendor, influencer=fans[0], campaign=campaign)
    message = Message.objects.create(chat=chat, sender=vendor, text="Samples\n\nHi Fan 1, samples for Chai week.")
    Delivery.objects.create(
        broadcast=finished, recipient=fans[0], channel="chat", status="sent", sent_at=sent_at, message=message
    )
    Delivery.objects.create(
        broadcast=finished, recipient=fans[0], channel="telegram", status="sent", sent_at=sent_at, claimed_run=2
    )
    Delivery.objects.create(broadcast=finished, recipient=fans[1], channel="chat", status="sent", sent_at=sent_at)
    Delivery.objects.create(
        broadcast=finished,
        recipient=fans[1],
        channel="telegram",
        status="skipped",
        last_error="No Telegram account linked.",
        attempts=1,
    )
    draft = Broadcast.objects.create(
        vendor=vendor, title="Next week", body="Hi {name}", audience="list", channels=["email"]
    )
    draft.recipients.set(fans)

    # The old content types, as the admin knew them; a group holds a permission on one.
    ids = {model: ContentType.objects.get(app_label="campaigns", model=model).pk for model in MOVED}
    viewers = Group.objects.create(name="Broadcast viewers")
    viewers.permissions.add(Permission.objects.get(content_type_id=ids["broadcast"], codename="view_broadcast"))
    return ids


def test_the_move_keeps_rows_through_tables_and_permissions():
    try:
        ids = make_old_rows(migrate(BEFORE))
        migrate(latest())

        finished = Broadcast.objects.get(title="Samples")
        assert (finished.status, finished.run, finished.audience, finished.campaign.title) == (
            "finished",
            2,
            "campaign",
            "Chai week",
        )
        assert (finished.total, finished.sent, finished.skipped, finished.tokens_reserved) == (4, 3, 1, 2)
        assert finished.channels == ["chat", "telegram"]
        assert finished.created_by.email == "shop@example.com"
        rows = [
            (d.recipient.email, d.channel, d.status, d.last_error, d.claimed_run)
            for d in finished.deliveries.select_related("recipient")
        ]
        assert rows == [
            ("fan1@example.com", "chat", "sent", "", None),
            ("fan1@example.com", "telegram", "sent", "", 2),
            ("fan2@example.com", "chat", "sent", "", None),
            ("fan2@example.com", "telegram", "skipped", "No Telegram account linked.", None),
        ]
        assert finished.deliveries.get(channel="chat", recipient__email="fan1@example.com").message.text.startswith(
            "Samples"
        )
        assert [b.title for b in finished.campaign.broadcasts.all()] == ["Samples"]
        draft = Broadcast.objects.get(title="Next week")
        assert sorted(draft.recipients.values_list("email", flat=True)) == ["fan1@example.com", "fan2@example.com"]
        assert Delivery.objects.count() == 4

        from django.contrib.auth.models import Group
        from django.contrib.contenttypes.models import ContentType

        for model in MOVED:
            assert ContentType.objects.get(app_label="broadcasts", model=model).pk == ids[model]
            assert not ContentType.objects.filter(app_label="campaigns", model=model).exists()
        permission = Group.objects.get(name="Broadcast viewers").permissions.get()
        assert (permission.content_type.app_label, permission.codename) == ("broadcasts", "view_broadcast")
    finally:
        migrate(latest())


def test_the_move_runs_backwards_too():
    try:
        ids = make_old_rows(migrate(BEFORE))
        migrate(latest())
        old_apps = migrate(BEFORE)

        broadcast = old_apps.get_model("campaigns", "Broadcast").objects.get(title="Next week")
        assert broadcast.recipients.count() == 2
        assert old_apps.get_model("campaigns", "Delivery").objects.count() == 4
        ContentType = old_apps.get_model("contenttypes", "ContentType")
        for model in MOVED:
            assert ContentType.objects.get(app_label="campaigns", model=model).pk == ids[model]
    finally:
        migrate(latest())


def test_a_content_type_made_for_broadcasts_meanwhile_gives_way_to_the_old_one():
    """``migrate broadcasts 0001`` then post_migrate makes broadcasts' rows; the old ones, with
    their permissions, still win."""
    try:
        old_apps = migrate(BEFORE)
        ids = make_old_rows(old_apps)
        old_apps.get_model("contenttypes", "ContentType").objects.create(app_label="broadcasts", model="broadcast")
        migrate(latest())

        from django.contrib.contenttypes.models import ContentType

        assert ContentType.objects.get(app_label="broadcasts", model="broadcast").pk == ids["broadcast"]
    finally:
        migrate(latest())


@pytest.mark.django_db
def test_the_tables_keep_their_names():
    tables = set(connection.introspection.table_names())
    names = {Broadcast._meta.db_table, Broadcast.recipients.through._meta.db_table, Delivery._meta.db_table}
    assert names == {"campaigns_broadcast", "campaigns_broadcast_recipients", "campaigns_delivery"}
    assert names <= tables
    assert not {table for table in tables if table.startswith("broadcasts_")}

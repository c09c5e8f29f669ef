"""Broadcasts made through their service, and the influencers they go to."""

from django.contrib.auth.hashers import make_password

from accounts.models import Role, User
from accounts.tests.factories import PASSWORD
from broadcasts import services
from campaigns.models import Application


def influencers(count, prefix="fan"):
    """``count`` active influencers in one query: ``fan0@example.com`` … named ``Fan 0`` …"""
    password = make_password(PASSWORD)
    return User.objects.bulk_create(
        [
            User(email=f"{prefix}{i}@example.com", display_name=f"Fan {i}", role=Role.INFLUENCER, password=password)
            for i in range(count)
        ]
    )


def accepted_on(campaign, users):
    """The users' applications to ``campaign``, accepted: the campaign audience reaches them."""
    Application.objects.bulk_create(
        [
            Application(campaign=campaign, influencer=user, status=Application.Status.ACCEPTED, message="Yes")
            for user in users
        ]
    )


def make_broadcast(vendor, campaign, channels=("chat",), **fields):
    """A draft to ``campaign``'s accepted influencers (``broadcast_create``), with ``{name}`` and
    ``{campaign}`` in its body; ``fields`` override the title, body, audience and the rest."""
    return services.broadcast_create(
        vendor=vendor,
        actor=vendor,
        title=fields.pop("title", "Festive drop"),
        body=fields.pop("body", "Hi {name}, {campaign} starts Monday."),
        audience=fields.pop("audience", "campaign"),
        campaign=campaign,
        channels=list(channels),
        **fields,
    )

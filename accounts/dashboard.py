"""What the dashboard offers each role. A section appears once its app provides its page.

A section's link in the top bar may carry a badge: how many things wait for the user there. The
app behind the section registers the count (``register_nav_count`` in its ``AppConfig.ready()``),
so ``accounts`` imports none of them; the badge shows only when the count is above zero.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from accounts.models import Role


@dataclass(frozen=True)
class Section:
    title: str
    description: str
    url_name: str
    in_nav: bool = True  # the dashboard shows every section; the top bar only these


SECTIONS = {
    Role.VENDOR: [
        Section("Catalog", "Products, stock and restocking.", "catalog:product-list"),
        Section("Bills", "Record sales and send invoices.", "billing:bill-list"),
        Section("Analytics", "Revenue, profit and insights.", "analytics:dashboard"),
        Section("Campaigns", "Run influencer campaigns.", "campaigns:campaign-list"),
        Section("Influencers", "Find influencers and invite them.", "profiles:directory"),
        Section("Applications", "Review who wants to work with you.", "campaigns:application-list", in_nav=False),
        Section("Collaborations", "Terms and stages of each collaboration, as a pipeline.", "collaborations:pipeline"),
        Section("Chats", "Talk with influencers.", "chat:chat-list"),
        Section("Broadcasts", "Message many influencers at once.", "broadcasts:broadcast-list", in_nav=False),
        Section(
            "Delivery log", "Every delivery of your broadcasts, with CSV.", "broadcasts:delivery-log", in_nav=False
        ),
        Section("Wallet", "Your token balance.", "wallet"),
        Section("Business profile", "Your website, description and location.", "profiles:profile", in_nav=False),
    ],
    Role.INFLUENCER: [
        Section("Profile", "How vendors find you.", "profiles:profile"),
        Section("Campaigns", "Find campaigns and apply.", "campaigns:campaign-list"),
        Section("My applications", "Applications, invitations and referral codes.", "campaigns:application-list"),
        Section(
            "Collaborations", "Terms from vendors: accept them or send them back.", "collaborations:collaboration-list"
        ),
        Section("Chats", "Talk with vendors.", "chat:chat-list"),
        Section("Wallet", "Your token balance.", "wallet"),
    ],
}

# Admins (staff without a role) also get the admin site's card and link (templates/base.html).
STAFF_SECTIONS = [
    Section("Analytics", "Pick a vendor and read their numbers.", "analytics:dashboard"),
]


_nav_counts: dict[str, Callable[[object], int]] = {}


def register_nav_count(url_name: str, count: Callable[[object], int]) -> None:
    """Show ``count(user)`` as a badge on the top-bar link of the section ``url_name`` (one query
    a page at most: keep it to a single count)."""
    _nav_counts[url_name] = count


def nav_count(user, url_name: str) -> int:
    """The badge of a section for ``user``: 0 when no app registered one."""
    count = _nav_counts.get(url_name)
    return count(user) if count else 0


def sections_for(user):
    """The sections of the user's role (or of an admin) whose pages exist, with their URLs."""
    sections = SECTIONS.get(user.role) or (STAFF_SECTIONS if user.is_staff else [])
    available = []
    for section in sections:
        try:
            available.append((section, reverse(section.url_name)))
        except NoReverseMatch:
            continue
    return available

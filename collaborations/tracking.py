"""The tracking link ``/r/<code>``: where it leads, and counting its visits without knowing who visits.

A visit redirects to the landing URL the vendor set on the campaign, and only there: the target
is read from the database, never from the request, so the link cannot be made to point elsewhere
(no open redirect). A collaboration whose campaign has no landing URL (or, from old data, one that
is not http or https) has no destination, and the link says so instead of redirecting.

Counting: each visit adds one to the collaboration's ``ClickDay`` of today (the site's time zone);
a visitor's first visit of the day also adds one to its unique count. A visitor is told apart by an
HMAC-SHA256, keyed with the day's random ``TrackingSalt``, of their address, their browser (user
agent) and the collaboration: only that hash is kept (``TrackingVisit``), never the address or the
browser. Each day has a new salt, made on first use; the salts and visit marks of days before are
deleted then (and by the ``collaborations.tasks.tracking_prune`` beat task), so yesterday's hashes
cannot be recomputed or linked to today's.

Not counted: HEAD requests (a link checker, not a visit), known bots and link previews
(``is_bot``: WhatsApp, Telegram, Facebook, Twitter/X, Slack and the like fetch a link to draw its
card before anyone taps it), and the links of cancelled collaborations: those still redirect, as
the influencer's posts stay up and a visitor should reach the shop, but the collaboration is over
and its results stay as they were when it ended.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from anwariya.db import duplicate_inserts_hold_locks
from campaigns.services import landing_url_problem
from collaborations.models import ClickDay, Collaboration, TrackingSalt, TrackingVisit

MAX_CODE_LENGTH = Collaboration._meta.get_field("tracking_code").max_length
MAX_USER_AGENT = 512  # enough to tell browsers apart; a longer header is cut before hashing

# Automated clients, matched case-insensitively anywhere in the user agent. Link previews first:
# a chat app fetches a link to show its card when it is pasted, before anyone taps it. Then
# crawlers (most say "bot", "crawl" or "spider"), monitors, and command-line and library HTTP
# clients, which no person browses with. "cubot" is a phone brand, not a bot.
# In-app browsers (Instagram, Facebook's FBAN/FBAV, Snapchat, Telegram-Android) are people and are
# counted: their previews come from other agents (TelegramBot, facebookexternalhit, Snap URL Preview).
BOT_PATTERN = re.compile(
    r"(?<!cu)bot|crawl|spider|slurp|preview|facebookexternalhit|facebookcatalog|meta-external|whatsapp"
    r"|slack-imgproxy|embedly|iframely|mastodon|cardyb|google-|-google|googleother|feedfetcher"
    r"|ia_archiver|lighthouse|pagespeed|headless|phantomjs|prerender|pingdom|uptime|validator"
    r"|curl|wget|python|httpx|aiohttp|go-http|java/|okhttp|libwww|scrapy|node-fetch|axios|postman"
    r"|insomnia|httpclient",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """Whether the user agent is a known bot, link preview or scripted client (or empty)."""
    user_agent = (user_agent or "").strip()
    return not user_agent or BOT_PATTERN.search(user_agent) is not None


def collaboration_for_code(code: str) -> Collaboration | None:
    """The collaboration whose tracking code is ``code`` (codes are lower case; a code typed in
    capitals from a post still works), with its campaign; None when there is none."""
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return Collaboration.objects.select_related("campaign").filter(tracking_code=code.lower()).first()


def landing_url(collaboration: Collaboration) -> str | None:
    """Where the link leads: the campaign's landing URL, if it has a valid http(s) one."""
    url = collaboration.campaign.landing_url
    if not url or landing_url_problem(url) is not None:
        return None
    return url


@dataclass(frozen=True)
class Click:
    counted: bool
    unique: bool = False


def click_record(*, collaboration: Collaboration, address: str | None, user_agent: str, method: str = "GET") -> Click:
    """Count a visit of ``collaboration``'s link (unless it is not one: see the module)."""
    if method.upper() != "GET" or is_bot(user_agent) or collaboration.stage == Collaboration.Stage.CANCELLED:
        return Click(counted=False)
    today = timezone.localdate()
    visitor = visitor_hash(
        salt=salt_of_day(today), address=address or "", user_agent=user_agent, collaboration_id=collaboration.pk
    )
    with transaction.atomic():
        if duplicate_inserts_hold_locks():
            # InnoDB: a duplicate insert keeps a lock on the row it hit; racing first clicks of the
            # day would then deadlock updating it. Queue them on the collaboration's row instead.
            Collaboration.objects.select_for_update().filter(pk=collaboration.pk).exists()
        ClickDay.objects.get_or_create(collaboration=collaboration, day=today)
        try:
            with transaction.atomic():
                TrackingVisit.objects.create(collaboration=collaboration, day=today, visitor=visitor)
        except IntegrityError:
            unique = False  # seen today already (maybe by a parallel click of theirs)
        else:
            unique = True
        ClickDay.objects.filter(collaboration=collaboration, day=today).update(
            clicks=F("clicks") + 1, unique_clicks=F("unique_clicks") + (1 if unique else 0)
        )
    return Click(counted=True, unique=unique)


def visitor_hash(*, salt: str, address: str, user_agent: str, collaboration_id: int) -> str:
    """The day's mark of one visitor of one link: it tells the same visitor apart on the same day
    and nothing more (with the salt deleted, it cannot be traced back to an address)."""
    message = "\x1f".join((address, (user_agent or "")[:MAX_USER_AGENT], str(collaboration_id)))
    return hmac.new(salt.encode(), message.encode("utf-8", "replace"), hashlib.sha256).hexdigest()


def salt_of_day(day) -> str:
    """The random salt of ``day``, made on its first use (then the days before are pruned)."""
    salt = TrackingSalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if salt is not None:
        return salt
    record, created = TrackingSalt.objects.get_or_create(day=day, defaults={"salt": secrets.token_hex(32)})
    if created:
        tracking_prune(today=day)
    return record.salt


def tracking_prune(*, today=None) -> int:
    """Delete the salts and visitor marks of the days before ``today`` (default: today, the site's
    time zone); returns how many rows went. The daily counts (``ClickDay``) stay."""
    today = today or timezone.localdate()
    visits, _ = TrackingVisit.objects.filter(day__lt=today).delete()
    salts, _ = TrackingSalt.objects.filter(day__lt=today).delete()
    return visits + salts

"""A user's data export: one JSON document of everything the platform holds about them.

The document (``EXPORT_FORMAT``, documented in docs/api.md)::

    {"format": "anwariya-export/1", "generated_at": "<ISO 8601>",
     "user": {<the account's own fields>},
     "sections": {"<name>": <what the app that registered it returns>, ...}}

Each app adds its sections through ``accounts.hooks.register_export_section``. Other people
appear in it only as the user sees them on the platform (a chat's other side by their public
name), never with their email, password hash or tokens.

A small export is answered at once; one of more than ``ACCOUNT_EXPORT_INLINE_MAX_ROWS`` rows is
built by a task into the default storage, and the user gets an email with a link that works for
``ACCOUNT_EXPORT_LINK_HOURS`` hours, for them only: the link is signed (``TimestampSigner``) and
the download page also needs them logged in, so a forwarded email opens nothing.
"""

import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from accounts import hooks
from accounts.models import User
from accounts.tasks import build_account_export, send_email
from accounts.wallet import wallet_for_user, wallet_transactions
from anwariya.celery import enqueue_on_commit
from anwariya.errors import Conflict, DomainError

EXPORT_FORMAT = "anwariya-export/1"
EXPORT_DIRECTORY = "account-exports"
LINK_SALT = "accounts.export.link"


class ExportLinkExpired(DomainError):
    status_code = 410
    code = "export_link_expired"
    default_detail = "This download link has expired. Ask for a new export on your account page."


class ExportLinkInvalid(DomainError):
    status_code = 404
    code = "not_found"
    default_detail = "This download link is not valid for your account."


# --- The document ------------------------------------------------------------------


def export_user_fields(user: User) -> dict:
    """The account itself, as the user knows it (no password hash, no internal flags)."""
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "business_name": user.business_name,
        "is_staff": user.is_staff,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def export_document(user: User) -> dict:
    """The whole export of ``user``, JSON-able with ``DjangoJSONEncoder`` (dates, decimals)."""
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now(),
        "user": export_user_fields(user),
        "sections": hooks.export_sections(user),
    }


def export_json(document: dict) -> bytes:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def export_filename(user: User, generated_at=None) -> str:
    day = timezone.localdate(generated_at or timezone.now())
    return f"anwariya-export-{user.pk}-{day:%Y-%m-%d}.json"


def export_is_large(user: User) -> bool:
    """Whether the export is built by a task and emailed rather than answered at once."""
    return hooks.export_rows(user) > settings.ACCOUNT_EXPORT_INLINE_MAX_ROWS


def wallet_export(user: User) -> dict:
    """accounts' own section: the token balance and its whole ledger."""
    transactions = wallet_transactions(user).values(
        "created_at", "kind", "amount", "balance_after", "reason", "reference"
    )
    return {"balance": wallet_for_user(user).balance, "transactions": list(transactions)}


def wallet_export_rows(user: User) -> int:
    return wallet_transactions(user).count()


# --- Large exports: a stored file and a signed link ------------------------------------


def export_send(*, user: User, base_url: str) -> str:
    """Queue the export of ``user`` to be built and its link emailed to them (a large export,
    or the admin's "Export data"); returns what was done, in words. ``base_url``: the site's
    address the link starts with. A closed or deactivated account has no mailbox to send to."""
    if user.closed_at is not None or not user.is_active:
        raise Conflict("This account is closed or deactivated: there is no one to send its data to.")
    enqueue_on_commit(build_account_export, user_id=user.pk, base_url=base_url)
    return f"The data export is being built; {user.email} gets a download link."


def export_store(*, user: User, base_url: str) -> str:
    """Build the export into the storage and email the user a link to it; returns the file's name.

    Run by ``accounts.tasks.build_account_export``. A closed account gets nothing.
    """
    document = export_document(user)
    name = f"{EXPORT_DIRECTORY}/{user.pk}/{secrets.token_hex(16)}.json"
    name = default_storage.save(name, ContentFile(export_json(document)))
    token = signing.TimestampSigner(salt=LINK_SALT).sign_object({"user": user.pk, "file": name})
    link = base_url.rstrip("/") + reverse("account_export_download", args=[token])
    context = {"user": user, "link": link, "hours": settings.ACCOUNT_EXPORT_LINK_HOURS}
    send_email.delay(
        subject="Your Anwariya data export is ready",
        body=loader.render_to_string("accounts/email/export_ready.txt", context),
        to=[user.email],
    )
    return name


def export_file_for_link(*, user: User, token: str) -> str:
    """The stored file a download link names, if it is ``user``'s and not expired.

    Raises ``ExportLinkExpired`` (410) after ``ACCOUNT_EXPORT_LINK_HOURS`` (and deletes the file)
    and ``ExportLinkInvalid`` (404) for a link that is not this user's or was tampered with.
    """
    signer = signing.TimestampSigner(salt=LINK_SALT)
    max_age = timedelta(hours=settings.ACCOUNT_EXPORT_LINK_HOURS)
    try:
        payload = signer.unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        payload = _payload_of_expired(signer, token)
        if isinstance(payload, dict) and payload.get("user") == user.pk:
            _delete_quietly(payload.get("file"))
        raise ExportLinkExpired() from None
    except signing.BadSignature:
        raise ExportLinkInvalid() from None
    if not isinstance(payload, dict):
        raise ExportLinkInvalid()
    name = payload.get("file")
    if payload.get("user") != user.pk or not _is_export_file(name, user) or not default_storage.exists(name):
        raise ExportLinkInvalid()
    return name


def exports_purge(*, user: User | None = None) -> int:
    """Delete stored exports older than the link's life (or, with ``user``, all of theirs)."""
    if not default_storage.exists(EXPORT_DIRECTORY):
        return 0
    oldest = timezone.now() - timedelta(hours=settings.ACCOUNT_EXPORT_LINK_HOURS)
    directories, _ = default_storage.listdir(EXPORT_DIRECTORY)
    if user is not None:
        directories = [d for d in directories if d == str(user.pk)]
    deleted = 0
    for directory in directories:
        for filename in default_storage.listdir(f"{EXPORT_DIRECTORY}/{directory}")[1]:
            name = f"{EXPORT_DIRECTORY}/{directory}/{filename}"
            if user is not None or default_storage.get_modified_time(name) < oldest:
                default_storage.delete(name)
                deleted += 1
    return deleted


def _payload_of_expired(signer, token):
    try:
        return signer.unsign_object(token)
    except signing.BadSignature:
        return None


def _is_export_file(name, user) -> bool:
    return isinstance(name, str) and name.startswith(f"{EXPORT_DIRECTORY}/{user.pk}/") and ".." not in name


def _delete_quietly(name) -> None:
    if isinstance(name, str) and name.startswith(f"{EXPORT_DIRECTORY}/") and default_storage.exists(name):
        default_storage.delete(name)

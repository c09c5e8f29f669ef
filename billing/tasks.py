"""Invoice delivery: render the PDF, keep it, email it. Runs after the sale commits."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from billing.invoices import credit_note_filename, credit_note_pdf_stored, invoice_filename, invoice_pdf_stored
from billing.models import Bill, CreditNote

logger = logging.getLogger(__name__)

MAX_RETRIES = 4


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def send_invoice_email(self, bill_id, resend=False):
    """Email the invoice PDF to the customer once; failures retry with backoff, then show as failed."""
    bill = Bill.objects.select_related("vendor").get(pk=bill_id)
    if bill.email_status == Bill.EmailStatus.SENT and not resend:
        return "already sent"

    def message():
        email = EmailMessage(
            subject=f"{bill.get_document_type_display()} {bill.number} from {bill.vendor.public_name}",
            body=render_to_string("billing/email/invoice.txt", {"bill": bill}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[bill.customer_email],
            reply_to=[bill.vendor.email],
        )
        email.attach(invoice_filename(bill), invoice_pdf_stored(bill), "application/pdf")
        return email

    return _deliver(self, bill, "Invoice", message)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def send_credit_note_email(self, credit_note_id):
    """Email a credit note's PDF to the customer once, as invoices are sent (retries, then failed)."""
    note = CreditNote.objects.select_related("bill", "vendor").get(pk=credit_note_id)
    if note.email_status == Bill.EmailStatus.SENT:
        return "already sent"
    if not note.bill.customer_email:
        CreditNote.objects.filter(pk=note.pk).update(email_status=Bill.EmailStatus.NOT_SENT)
        return "no address"

    def message():
        email = EmailMessage(
            subject=f"Credit note {note.number} from {note.vendor.public_name} (against {note.bill.number})",
            body=render_to_string("billing/email/credit_note.txt", {"note": note, "bill": note.bill}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[note.bill.customer_email],
            reply_to=[note.vendor.email],
        )
        email.attach(credit_note_filename(note), credit_note_pdf_stored(note), "application/pdf")
        return email

    return _deliver(self, note, "Credit note", message)


def _deliver(task, document, label, message):
    """Send ``message()`` (which renders the document's PDF) and record the outcome on the
    document's row, a bill or a credit note: sent, or the error and a retry with backoff (30 s,
    60 s, ...) until the last attempt marks it failed."""
    row = type(document).objects.filter(pk=document.pk)
    try:
        message().send()
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the document and retried
        final = task.request.retries >= task.max_retries
        row.update(
            email_status=Bill.EmailStatus.FAILED if final else Bill.EmailStatus.PENDING,
            email_error=f"{exc.__class__.__name__}: {exc}"[:2000],
            email_attempts=F("email_attempts") + 1,
        )
        logger.warning("%s email for %s failed (attempt %s): %s", label, document.number, task.request.retries + 1, exc)
        if final:
            return "failed"
        raise task.retry(exc=exc, countdown=30 * 2**task.request.retries) from None
    row.update(
        email_status=Bill.EmailStatus.SENT,
        email_error="",
        email_sent_at=timezone.now(),
        email_attempts=F("email_attempts") + 1,
    )
    return "sent"

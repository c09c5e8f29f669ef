"""Without a broker, a sale's invoice is rendered and sent after the answer, not inside it."""

import threading

import pytest
from django.core import mail

import billing.tasks
from accounts.tests.factories import VendorFactory
from anwariya.celery import background_tasks_done
from anwariya.tests.api import api_client
from billing.models import Bill
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sale_of(product):
    line = {"product": product.pk, "quantity": 1}
    return {"customer_name": "Meera", "customer_email": "meera@example.com", "items": [line]}


def test_the_sale_is_answered_while_its_invoice_is_still_rendering(settings, monkeypatch):
    settings.EAGER_TASKS_IN_BACKGROUND = True
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=5)
    rendering, finish = threading.Event(), threading.Event()
    render = billing.tasks.invoice_pdf_stored

    def slow_render(bill):
        rendering.set()
        assert finish.wait(10), "the test never let the render finish"
        return render(bill)

    monkeypatch.setattr(billing.tasks, "invoice_pdf_stored", slow_render)
    body = sale_of(tea)

    response = api_client(vendor).post("/api/v1/bills/", body, format="json")

    assert response.status_code == 201, response.content
    assert rendering.wait(10)  # the render started, on another thread, and the sale is answered
    assert Bill.objects.get().email_status == Bill.EmailStatus.PENDING
    assert mail.outbox == []
    finish.set()
    assert background_tasks_done(timeout=10)
    assert Bill.objects.get().email_status == Bill.EmailStatus.SENT
    assert [message.to for message in mail.outbox] == [["meera@example.com"]]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"


def test_with_the_background_off_the_invoice_is_sent_before_the_answer():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=5)
    body = sale_of(tea)

    response = api_client(vendor).post("/api/v1/bills/", body, format="json")

    assert response.status_code == 201
    assert Bill.objects.get().email_status == Bill.EmailStatus.SENT
    assert len(mail.outbox) == 1

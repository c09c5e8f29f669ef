from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from analytics.tests.test_selectors import at, sell_at
from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_kpis_chart_tables_and_insights(client):
    vendor = VendorFactory()
    chai = ProductFactory(
        vendor=vendor,
        name="Masala Chai",
        category=CategoryFactory(name="Tea", slug="tea"),
        quantity=3,
        sale_price=Decimal("120.00"),
    )
    today = timezone.localdate()
    sell_at(vendor, at(today), (chai, 2))
    client.force_login(vendor)
    response = client.get(reverse("analytics:dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "₹240.00" in content  # revenue KPI
    assert "<svg" in content  # server-side chart
    assert "cdn" not in content.lower()
    assert "Masala Chai" in content
    assert "Marketing insights" in content
    assert response.context["insights"]["source"] == "rules"
    assert "format=csv" in content


def test_dashboard_bucket_and_range_form(client):
    vendor = VendorFactory()
    client.force_login(vendor)
    response = client.get(
        reverse("analytics:dashboard"), {"start": "2026-01-01", "end": "2026-06-30", "bucket": "month"}
    )
    assert response.context["bucket"] == "month"
    assert "per month" in response.content.decode()
    response = client.get(reverse("analytics:dashboard"), {"start": "2026-06-30", "end": "2026-01-01"})
    assert "on or after the start" in response.content.decode()


def test_dashboard_for_influencers_is_403_and_admins_choose_a_vendor(client):
    client.force_login(InfluencerFactory())
    assert client.get(reverse("analytics:dashboard")).status_code == 403
    vendor = VendorFactory(business_name="Chai & Co")
    client.force_login(AdminFactory())
    response = client.get(reverse("analytics:dashboard"), {"vendor": vendor.pk})
    assert response.status_code == 200
    assert "Chai &amp; Co" in response.content.decode()


def test_dashboard_empty_state(client):
    client.force_login(VendorFactory())
    assert "No sales in this period" in client.get(reverse("analytics:dashboard")).content.decode()


def test_dashboard_with_absurd_dates_shows_an_error_not_a_crash(client):
    client.force_login(VendorFactory())
    response = client.get(reverse("analytics:dashboard"), {"start": "0001-01-01"})
    assert response.status_code == 200
    assert "from 2000 to 2100" in response.content.decode()

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
    refused = client.get(reverse("analytics:dashboard"))
    assert refused.status_code == 403
    assert "Analytics are for vendors." in refused.content.decode()
    vendor = VendorFactory(business_name="Chai & Co")
    client.force_login(AdminFactory())
    response = client.get(reverse("analytics:dashboard"), {"vendor": vendor.pk})
    assert response.status_code == 200
    assert "Chai &amp; Co" in response.content.decode()


def test_admin_opening_analytics_gets_a_vendor_picker_in_business_name_order(client):
    VendorFactory(business_name="Zaffran Foods")
    alpha = VendorFactory(business_name="alpha Teas")
    InfluencerFactory(display_name="Not A Vendor")
    client.force_login(AdminFactory())
    response = client.get(reverse("analytics:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a vendor" in page
    assert '<select name="vendor"' in page
    assert page.index("alpha Teas") < page.index("Zaffran Foods")
    assert f'<option value="{alpha.pk}">' in page
    assert "Not A Vendor" not in page


def test_vendor_picker_searches_and_pages(client):
    for number in range(30):
        VendorFactory(business_name=f"Shop {number:02d}")
    VendorFactory(business_name="Indigo Loom", email="owner@indigo.example")
    client.force_login(AdminFactory())
    first = client.get(reverse("analytics:dashboard")).content.decode()
    assert "Shop 00" in first
    assert "Shop 29" not in first
    assert "page=2" in first
    second = client.get(reverse("analytics:dashboard"), {"page": 2}).content.decode()
    assert "Shop 29" in second
    found = client.get(reverse("analytics:dashboard"), {"q": "indigo"}).content.decode()
    assert "Indigo Loom" in found
    assert "Shop 00" not in found


def test_admin_sees_the_chosen_vendors_analytics_read_only(client):
    vendor = VendorFactory(business_name="Chai & Co")
    client.force_login(AdminFactory())
    page = client.get(reverse("analytics:dashboard"), {"vendor": vendor.pk}).content.decode()
    assert "Analytics · Chai &amp; Co" in page
    assert "Choose another vendor" in page
    assert "Import sales history" not in page
    assert "Record a sale" not in page
    assert f"vendor={vendor.pk}" in page  # the CSV links ask the API for the same vendor


@pytest.mark.parametrize("choice", ["abc", "-1"])
def test_admin_with_a_malformed_vendor_gets_the_picker_with_the_error(client, choice):
    VendorFactory(business_name="Chai & Co")
    client.force_login(AdminFactory())
    response = client.get(reverse("analytics:dashboard"), {"vendor": choice})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a vendor" in page
    assert "Vendor:" in page


def test_admin_asking_for_a_non_vendor_gets_404_on_page_and_api(client):
    from anwariya.tests.api import api_client, assert_error

    influencer = InfluencerFactory()
    client.force_login(AdminFactory())
    assert client.get(reverse("analytics:dashboard"), {"vendor": influencer.pk}).status_code == 404
    assert client.get(reverse("analytics:dashboard"), {"vendor": 999999}).status_code == 404
    assert_error(api_client(AdminFactory()).get("/api/v1/analytics/summary/", {"vendor": influencer.pk}), 404)


def test_dashboard_empty_state(client):
    client.force_login(VendorFactory())
    assert "No sales in this period" in client.get(reverse("analytics:dashboard")).content.decode()


def test_dashboard_with_absurd_dates_shows_an_error_not_a_crash(client):
    client.force_login(VendorFactory())
    response = client.get(reverse("analytics:dashboard"), {"start": "0001-01-01"})
    assert response.status_code == 200
    assert "from 2000 to 2100" in response.content.decode()

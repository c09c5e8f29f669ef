"""The results page, its link from the collaborations list, and the results box of a collaboration's page."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import InfluencerFactory, VendorFactory
from collaborations.tests.factories import book_fee, make_collaboration, make_results_scenario

pytestmark = pytest.mark.django_db

RESULTS = reverse("collaborations:results")


def row_of(content, collaboration):
    """The results table's row of a collaboration, as text without tags."""
    match = re.search(rf'<tr data-collaboration="{collaboration.pk}">(.*?)</tr>', content, re.S)
    assert match, f"no row for collaboration {collaboration.pk}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def totals_of(content):
    match = re.search(r'data-testid="results-totals".*?</dl>', content, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def test_the_influencer_sees_each_collaboration_and_the_totals(client):
    made = make_results_scenario()
    ira = made["ira"]
    client.force_login(ira.influencer)
    content = client.get(RESULTS).content.decode()

    row = row_of(content, ira)
    assert row.startswith(f"{ira.campaign.title} ")
    assert ira.vendor.public_name in row
    assert "15 (10 unique) 2 ₹550.00 ₹30.00 ₹325.00 ₹200.00" in row  # clicks, bills, revenue, held, payable, paid
    assert "1 of 3 approved · 1 submitted · 1 pending" in row
    assert "2 × Chai (1 on the way)" in row
    assert "1 × " in row_of(content, made["other"])  # the other vendor's gift
    assert "None yet" in row_of(content, made["ira_again"])
    totals = totals_of(content)
    assert "Clicks 164 125 unique" in totals
    assert "Attributed bills 3" in totals
    assert "Revenue ₹950.00" in totals
    assert "Paid ₹200.00" in totals
    # The vendor's profit and costs are not on the influencer's page.
    assert "ROI" not in content
    assert made["kabir"].influencer.display_name not in content


def test_a_new_influencer_gets_the_empty_state(client):
    client.force_login(InfluencerFactory())
    response = client.get(RESULTS)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="results-empty"' in content
    assert "Apply to a campaign" in content
    assert 'data-testid="results-table"' not in content


def test_a_vendor_sees_their_influencers_and_the_way_to_analytics(client):
    made = make_results_scenario()
    client.force_login(made["vendor"])
    content = client.get(RESULTS).content.decode()

    assert made["ira"].influencer.display_name in row_of(content, made["ira"])
    assert "40 (30 unique) 1 ₹250.00 ₹25.00" in row_of(content, made["kabir"])
    assert reverse("analytics:dashboard") in content
    assert f'data-collaboration="{made["other"].pk}"' not in content


def test_the_page_is_paged_and_its_query_count_does_not_grow(client, django_assert_max_num_queries):
    vendor = VendorFactory()
    for _ in range(3):
        book_fee(make_collaboration(vendor=vendor), "10.00")
    client.force_login(vendor)
    with django_assert_max_num_queries(8) as few:
        assert client.get(RESULTS).status_code == 200
    for _ in range(24):
        make_collaboration(vendor=vendor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(RESULTS).content.decode()
    assert page.count("<tr data-collaboration=") == 25
    assert "Page 1 of 2" in page
    assert client.get(RESULTS, {"page": 2}).content.decode().count("<tr data-collaboration=") == 2


def test_the_collaboration_list_links_to_the_results(client):
    client.force_login(InfluencerFactory())
    content = client.get(reverse("collaborations:collaboration-list")).content.decode()

    assert f'href="{RESULTS}">Results</a>' in content


def test_the_collaboration_page_has_a_results_box_with_costs_for_the_vendor_only(client):
    ira = make_results_scenario()["ira"]
    detail = reverse("collaborations:collaboration-detail", args=[ira.pk])

    client.force_login(ira.influencer)
    content = client.get(detail).content.decode()
    box = " ".join(re.sub(r"<[^>]+>", " ", content.split('data-testid="results-summary"')[1]).split())
    assert "Clicks 15 (10 unique) Attributed bills 2 (20.0% of unique clicks) Revenue ₹550.00" in box
    assert "Commission held ₹30.00 Payable ₹325.00 Paid ₹200.00" in box
    assert "ROI" not in box

    client.force_login(ira.vendor)
    content = client.get(detail).content.decode()
    box = " ".join(re.sub(r"<[^>]+>", " ", content.split('data-testid="results-summary"')[1]).split())
    assert "Cost ₹775.00 fee ₹500.00 + commission ₹55.00 + gifts ₹220.00" in box
    assert "Profit ₹270.00 ROI -65.2%" in box

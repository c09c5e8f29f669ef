import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import VendorFactory
from catalog.tests.factories import ProductFactory
from chat.models import Chat
from collaborations.models import Collaboration, TermsVersion
from collaborations.tests.factories import make_collaboration, send_terms

pytestmark = pytest.mark.django_db


def detail(collaboration):
    return reverse("collaborations:collaboration-detail", args=[collaboration.pk])


def action(collaboration, verb):
    return reverse("collaborations:collaboration-action", args=[collaboration.pk, verb])


def terms_form_data(**overrides):
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    data = {"fee": "3000", "commission_rate": "5", "usage_rights": "", "disclosure": "#ad"}
    for i in range(5):
        data.update({f"kind_{i}": "", f"brief_{i}": "", f"due_date_{i}": ""})
    data.update({"kind_0": "story", "brief_0": "Unboxing story", "due_date_0": due})
    data.update(overrides)
    return data


def test_empty_states_teach_the_next_step(client):
    vendor = VendorFactory()
    client.force_login(vendor)
    pipeline = client.get(reverse("collaborations:pipeline")).content.decode()
    assert "No collaborations yet" in pipeline
    assert "Review applications" in pipeline
    collaboration = make_collaboration(vendor=vendor)
    page = client.get(detail(collaboration)).content.decode()
    assert "Send the first version" in page
    assert collaboration.application.referral_code in page


def test_vendor_sends_terms_from_the_form_and_the_influencer_sees_them(client):
    collaboration = make_collaboration()
    product = ProductFactory(vendor=collaboration.vendor, name="Masala chai tin")
    client.force_login(collaboration.vendor)
    form = client.get(reverse("collaborations:terms-send", args=[collaboration.pk]))
    assert form.status_code == 200
    assert "Masala chai tin" in form.content.decode()
    response = client.post(
        reverse("collaborations:terms-send", args=[collaboration.pk]),
        terms_form_data(gifted_products=[product.pk]),
    )
    assert response.status_code == 302
    client.force_login(collaboration.influencer)
    page = client.get(detail(collaboration)).content.decode()
    assert "Version 1" in page
    assert "Unboxing story" in page
    assert "Masala chai tin" in page
    assert "Accept terms v1" in page


def test_bad_terms_show_the_error_on_the_row(client):
    collaboration = make_collaboration()
    client.force_login(collaboration.vendor)
    response = client.post(
        reverse("collaborations:terms-send", args=[collaboration.pk]),
        terms_form_data(kind_1="post", brief_1="Late post", due_date_1="2001-01-01"),
    )
    assert response.status_code == 400
    assert "The due date is in the past." in response.content.decode()
    assert not TermsVersion.objects.exists()
    response = client.post(
        reverse("collaborations:terms-send", args=[collaboration.pk]),
        terms_form_data(kind_0="", brief_0="", due_date_0=""),
    )
    assert "Add at least one deliverable." in response.content.decode()


def test_influencer_sends_back_then_accepts_v2_and_the_page_says_what_changed(client):
    collaboration = make_collaboration()
    send_terms(collaboration)
    client.force_login(collaboration.influencer)
    client.post(action(collaboration, "reject"), {"text": "Higher fee please", "version": "1"})
    send_terms(collaboration, fee="7000")
    client.post(action(collaboration, "accept"), {"version": "2"})
    collaboration.refresh_from_db()
    assert collaboration.stage == "active"
    page = client.get(detail(collaboration)).content.decode()
    assert "Higher fee please" in page
    assert "fee 5000.00 → 7000.00" in page


def test_cancel_from_the_page(client):
    collaboration = make_collaboration()
    client.force_login(collaboration.vendor)
    response = client.post(action(collaboration, "cancel"), {"text": "Out of stock"}, follow=True)
    assert "The collaboration is cancelled." in response.content.decode()
    assert Collaboration.objects.get().cancel_reason == "Out of stock"


def test_wrong_role_is_403_and_strangers_404(client):
    collaboration = make_collaboration()
    send_terms(collaboration)
    client.force_login(collaboration.vendor)
    assert client.post(action(collaboration, "accept")).status_code == 403
    client.force_login(collaboration.influencer)
    assert client.get(reverse("collaborations:terms-send", args=[collaboration.pk])).status_code == 403
    assert client.get(reverse("collaborations:pipeline")).status_code == 403
    client.force_login(VendorFactory())
    assert client.get(detail(collaboration)).status_code == 404
    assert client.post(action(collaboration, "cancel"), {"text": "x"}).status_code == 404


def test_pipeline_groups_by_stage_with_counts_in_few_queries(client, django_assert_max_num_queries):
    vendor = VendorFactory()
    for _ in range(2):
        make_collaboration(vendor=vendor)
    send_terms(make_collaboration(vendor=vendor))
    client.force_login(vendor)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("collaborations:pipeline")).content.decode()
    assert 'data-testid="count-new">2<' in page
    assert 'data-testid="count-terms_sent">1<' in page
    for _ in range(4):
        make_collaboration(vendor=vendor)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("collaborations:pipeline")).content.decode()
    assert 'data-testid="count-new">6<' in page


def test_reachable_from_the_dashboard_the_campaign_and_the_chat(client):
    collaboration = make_collaboration()
    client.force_login(collaboration.vendor)
    assert reverse("collaborations:pipeline") in client.get(reverse("dashboard")).content.decode()
    campaign_page = client.get(reverse("campaigns:campaign-detail", args=[collaboration.campaign_id])).content.decode()
    assert f"{reverse('collaborations:collaboration-list')}?campaign={collaboration.campaign_id}" in campaign_page
    listing = client.get(reverse("collaborations:collaboration-list"), {"campaign": collaboration.campaign_id})
    assert detail(collaboration) in listing.content.decode()
    chat = Chat.objects.get(campaign=collaboration.campaign, influencer=collaboration.influencer)
    chat_page = client.get(reverse("chat:chat-detail", args=[chat.pk])).content.decode()
    link = reverse("collaborations:for-chat", args=[chat.pk])
    assert link in chat_page
    assert client.get(link)["Location"] == detail(collaboration)
    client.force_login(collaboration.influencer)
    assert reverse("collaborations:collaboration-list") in client.get(reverse("dashboard")).content.decode()
    page = client.get(detail(collaboration)).content.decode()
    assert f'name="other_user" value="{collaboration.vendor_id}"' in page  # the chat button opens the pair's chat


def test_terms_for_a_cancelled_collaboration_are_refused_in_words(client):
    collaboration = make_collaboration()
    client.force_login(collaboration.vendor)
    client.post(action(collaboration, "cancel"), {"text": "Budget cut"})
    response = client.post(reverse("collaborations:terms-send", args=[collaboration.pk]), terms_form_data())
    assert response.status_code == 400
    assert "Terms can no longer be sent: the collaboration is cancelled." in response.content.decode()
    assert not TermsVersion.objects.exists()

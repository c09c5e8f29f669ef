"""Real threads on PostgreSQL: the free monthly applications are counted under a lock."""

import pytest

from accounts.models import User, WalletTransaction
from accounts.tests.factories import InfluencerFactory, give_tokens
from accounts.wallet import InsufficientTokens, wallet_for_user
from anwariya.tests.concurrency import run_concurrently
from campaigns import services
from campaigns.models import Application, Campaign
from campaigns.tests.factories import CampaignFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_applications_get_the_free_quota_once_and_pay_for_the_rest(settings):
    settings.TOKEN_PRICE_APPLICATION = 5
    settings.TOKEN_FREE_APPLICATIONS_PER_MONTH = 1
    influencer = InfluencerFactory()
    give_tokens(influencer, 10)  # two paid applications
    campaign_ids = [CampaignFactory().pk for _ in range(6)]

    def apply(index):
        application = services.application_create(
            campaign=Campaign.objects.get(pk=campaign_ids[index]),
            influencer=User.objects.get(pk=influencer.pk),
            pitch=f"Pitch {index}",
        )
        return application.pk

    results = run_concurrently(apply, len(campaign_ids))

    made = [result for result in results if isinstance(result, int)]
    refused = [result for result in results if isinstance(result, InsufficientTokens)]
    assert (len(made), len(refused)) == (3, 3), results  # one free, two paid; no more than the tokens allow
    assert Application.objects.filter(influencer=influencer).count() == 3
    spends = WalletTransaction.objects.filter(wallet__user=influencer, kind="spend")
    assert sorted(spends.values_list("amount", flat=True)) == [-5, -5]
    assert wallet_for_user(influencer).balance == 0

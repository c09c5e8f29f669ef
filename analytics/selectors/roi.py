"""Return on influencer marketing, per influencer and per campaign, over the vendor's period.

What a collaboration cost (the fee booked, the commission that stands, gifted products at cost)
against what it brought (its attributed bills' revenue before tax and profit): ROI, cost per
attributed bill, clicks and conversion. The sums and their definitions are
``collaborations.results``' (one query a table, whatever the number of influencers); bills count
by their day, clicks by their click day, costs by the day they were booked or shipped.
"""

from analytics.base import Period
from collaborations import results

# The numbers of a row, in the order of the tables and the CSVs.
ROI_COLUMNS = (
    "collaborations",
    "cost",
    "fee",
    "commission",
    "gift_cost",
    "revenue",
    "profit",
    "roi_pct",
    "bills",
    "cost_per_bill",
    "clicks",
    "unique_clicks",
    "conversion_pct",
)


def influencer_roi_table(vendor, period: Period) -> list[dict]:
    """Per influencer with a cost, a bill or a click in the period: ``influencer``,
    ``influencer_name`` and the ``ROI_COLUMNS``, most revenue first."""
    return [
        {"influencer": row["pk"], "influencer_name": row["display_name"], **{key: row[key] for key in ROI_COLUMNS}}
        for row in results.influencer_results(vendor=vendor, span=period)
    ]


def campaign_roi_table(vendor, period: Period) -> list[dict]:
    """Per campaign with a cost, a bill or a click in the period: ``campaign``, ``campaign_title``
    and the ``ROI_COLUMNS`` (``collaborations``: its influencers), most revenue first."""
    return [
        {"campaign": row["pk"], "campaign_title": row["title"], **{key: row[key] for key in ROI_COLUMNS}}
        for row in results.campaign_results(vendor=vendor, span=period)
    ]

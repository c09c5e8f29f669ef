"""Vendor analytics, computed in the database: aggregates with Sum/Count, buckets with Trunc*.

Every function takes the vendor and an inclusive date range in the vendor's time zone and
runs a fixed number of queries, whatever the range or the number of buckets. ``tables`` holds
the summary and the tables, ``roi`` the return on influencers and campaigns (from
``collaborations.results``), ``series`` the bucketed sales, ``common`` what they share.
"""

from analytics.base import Period
from analytics.selectors.common import MONEY, ZERO, cents, change_pct, margin_pct, money, period_for
from analytics.selectors.roi import ROI_COLUMNS, campaign_roi_table, influencer_roi_table
from analytics.selectors.series import BUCKETS, ITEMS_PER_BUCKET, TRUNC, bucket_bounds, sales_series
from analytics.selectors.tables import (
    campaign_table,
    category_table,
    insight_facts,
    low_stock_table,
    product_table,
    sales_summary,
)

__all__ = [
    "BUCKETS",
    "ITEMS_PER_BUCKET",
    "MONEY",
    "ROI_COLUMNS",
    "TRUNC",
    "ZERO",
    "Period",
    "bucket_bounds",
    "campaign_roi_table",
    "campaign_table",
    "category_table",
    "cents",
    "change_pct",
    "influencer_roi_table",
    "insight_facts",
    "low_stock_table",
    "margin_pct",
    "money",
    "period_for",
    "product_table",
    "sales_series",
    "sales_summary",
]

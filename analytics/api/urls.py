from django.urls import path

from analytics.api import views

urlpatterns = [
    path("analytics/summary/", views.SummaryApi.as_view(), name="api-analytics-summary"),
    path("analytics/sales/", views.SalesSeriesApi.as_view(), name="api-analytics-sales"),
    path("analytics/products/", views.ProductsApi.as_view(), name="api-analytics-products"),
    path("analytics/categories/", views.CategoriesApi.as_view(), name="api-analytics-categories"),
    path("analytics/campaigns/", views.CampaignsApi.as_view(), name="api-analytics-campaigns"),
    path("analytics/influencer-roi/", views.InfluencerRoiApi.as_view(), name="api-analytics-influencer-roi"),
    path("analytics/campaign-roi/", views.CampaignRoiApi.as_view(), name="api-analytics-campaign-roi"),
    path("analytics/low-stock/", views.LowStockApi.as_view(), name="api-analytics-low-stock"),
    path("analytics/insights/", views.InsightsApi.as_view(), name="api-analytics-insights"),
]

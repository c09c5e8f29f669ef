from django.urls import path

from analytics import api

urlpatterns = [
    path("analytics/summary/", api.SummaryApi.as_view(), name="api-analytics-summary"),
    path("analytics/sales/", api.SalesSeriesApi.as_view(), name="api-analytics-sales"),
    path("analytics/products/", api.ProductsApi.as_view(), name="api-analytics-products"),
    path("analytics/categories/", api.CategoriesApi.as_view(), name="api-analytics-categories"),
    path("analytics/campaigns/", api.CampaignsApi.as_view(), name="api-analytics-campaigns"),
    path("analytics/low-stock/", api.LowStockApi.as_view(), name="api-analytics-low-stock"),
    path("analytics/insights/", api.InsightsApi.as_view(), name="api-analytics-insights"),
]

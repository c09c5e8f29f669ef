from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="product-list"),
    path("new/", views.ProductCreateView.as_view(), name="product-create"),
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("<int:pk>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("<int:pk>/edit/", views.ProductEditView.as_view(), name="product-edit"),
    path("<int:pk>/restock/", views.ProductRestockView.as_view(), name="product-restock"),
    path("<int:pk>/delete/", views.ProductDeleteView.as_view(), name="product-delete"),
]

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views import View

from anwariya.errors import DomainError
from anwariya.forms import apply_domain_errors
from anwariya.mixins import VendorRequiredMixin
from anwariya.page_filters import filter_page_list, query_without_page
from catalog import selectors, services
from catalog.filters import ProductPageFilter
from catalog.forms import CategoryForm, ProductForm, RestockForm

PAGE_SIZE = 25


class ProductListView(VendorRequiredMixin, View):
    def get(self, request):
        filters, products, search = filter_page_list(
            request,
            selectors.products_for_vendor(request.user).order_by("name", "pk"),
            ProductPageFilter,
        )
        page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
        low_stock_count = selectors.low_stock_products(request.user).count()
        context = {
            "filters": filters.form,
            "search": search,
            "page": page,
            "low_stock_count": low_stock_count,
            "query": query_without_page(request),
        }
        return render(request, "catalog/product_list.html", context)


class ProductCreateView(VendorRequiredMixin, View):
    def get(self, request):
        return render(request, "catalog/product_form.html", {"form": ProductForm()})

    def post(self, request):
        form = ProductForm(request.POST)
        if form.is_valid():
            try:
                product = services.product_create(vendor=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(request, f"{product.name} was added.")
                return redirect("catalog:product-detail", pk=product.pk)
        return render(request, "catalog/product_form.html", {"form": form})


class ProductEditView(VendorRequiredMixin, View):
    def get(self, request, pk):
        product = selectors.product_for_vendor(request.user, pk)
        return render(request, "catalog/product_form.html", {"form": ProductForm(instance=product), "product": product})

    def post(self, request, pk):
        product = selectors.product_for_vendor(request.user, pk)
        form = ProductForm(request.POST, instance=selectors.product_for_vendor(request.user, pk))
        if form.is_valid():
            changes = {field: form.cleaned_data[field] for field in form.changed_data}
            try:
                services.product_update(product=product, actor=request.user, **changes)
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(request, f"{product.name} was saved.")
                return redirect("catalog:product-detail", pk=product.pk)
        return render(request, "catalog/product_form.html", {"form": form, "product": product})


class ProductDetailView(VendorRequiredMixin, View):
    def get(self, request, pk):
        product = selectors.product_for_vendor(request.user, pk)
        movements = Paginator(selectors.movements_for_product(product), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "catalog/product_detail.html",
            {"product": product, "movements": movements, "restock_form": RestockForm()},
        )


class ProductRestockView(VendorRequiredMixin, View):
    def get(self, request, pk):
        product = selectors.product_for_vendor(request.user, pk)
        return render(request, "catalog/restock.html", {"product": product, "form": RestockForm()})

    def post(self, request, pk):
        product = selectors.product_for_vendor(request.user, pk)
        form = RestockForm(request.POST)
        if form.is_valid():
            try:
                services.stock_restock(product=product, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(
                    request, f"Added {form.cleaned_data['quantity']} to {product.name}: {product.quantity} in stock."
                )
                return redirect("catalog:product-detail", pk=product.pk)
        return render(request, "catalog/restock.html", {"product": product, "form": form})


class ProductDeleteView(VendorRequiredMixin, View):
    def post(self, request, pk):
        product = selectors.product_for_vendor(request.user, pk)
        if services.product_delete(product=product):
            messages.success(request, f"{product.name} was deleted.")
            return redirect("catalog:product-list")
        messages.warning(request, f"{product.name} has sales, so it was deactivated instead of deleted.")
        return redirect("catalog:product-detail", pk=product.pk)


class CategoryListView(VendorRequiredMixin, View):
    def get(self, request):
        return self._render(request, CategoryForm())

    def post(self, request):
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                category = services.category_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(request, f"Category {category.name} was added.")
                return redirect("catalog:category-list")
        return self._render(request, form)

    def _render(self, request, form):
        page = Paginator(selectors.categories_list(), 50).get_page(request.GET.get("page"))
        return render(request, "catalog/category_list.html", {"page": page, "form": form})

import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import InfluencerFactory, VendorFactory
from billing.importing import ImportFailed, ImportNotAllowed, sales_import
from billing.models import Bill, BillItem
from billing.tests.factories import make_bill
from campaigns import services as campaign_services
from campaigns.tests.factories import CampaignFactory
from catalog.models import Category, Product, StockMovement
from catalog.selectors import movements_for_source
from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "date,bill_ref,product,sku,category,quantity,unit_price,unit_cost,customer_name,customer_email,referral_code"


@pytest.fixture
def vendor():
    return VendorFactory()


@pytest.fixture
def referral(vendor):
    """An accepted application of the vendor's campaign: its code attributes sales."""
    campaign = CampaignFactory(vendor=vendor)
    application = campaign_services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="Hi")
    return campaign_services.application_accept(application=application, actor=vendor)


@pytest.fixture
def existing(vendor):
    """A product the vendor already sells, with stock: importing its history must not touch it."""
    return ProductFactory(vendor=vendor, name="Old Stock Tea", sku="OLD-100", quantity=7, cost_price=Decimal("50.00"))


@pytest.fixture
def good_csv(referral, existing):
    """sales_good.csv with a real referral code and the existing product's SKU filled in."""
    text = (FIXTURES / "sales_good.csv").read_text()
    return text.format(code=referral.referral_code.lower(), existing_sku=existing.sku.lower())


def csv_text(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def local(*args):
    """An aware datetime in the project's time zone (settings.TIME_ZONE)."""
    return datetime(*args, tzinfo=timezone.get_default_timezone())


def database_counts():
    return {model.__name__: model.objects.count() for model in (Bill, BillItem, Product, Category, StockMovement)}


# --- The service ------------------------------------------------------------------------------


def test_good_file_creates_bills_with_items_totals_dates_and_referral(vendor, referral, good_csv):
    result = sales_import(vendor=vendor, rows=io.StringIO(good_csv), actor=vendor)

    assert (result.created_bills, result.skipped_bills, result.lines) == (3, 0, 4)
    bills = {bill.import_ref: bill for bill in Bill.objects.filter(vendor=vendor)}
    assert set(bills) == {"A-1001", "A-1002", "A-1003"}

    first = bills["A-1001"]
    assert first.is_imported
    assert first.number == "IMP-A-1001"
    assert first.sequence is None
    assert first.status == Bill.Status.PAID
    assert first.email_status == Bill.EmailStatus.NOT_SENT
    assert first.created_at == local(2025, 3, 1)
    assert first.year == 2025
    assert (first.customer_name, first.customer_email) == ("Meera Iyer", "meera@example.com")
    assert first.referral == referral
    assert first.referral_code == referral.referral_code
    assert first.total == Decimal("899.99")  # 2 x 250.00 + 399.99
    assert first.cost == Decimal("500.00")  # 2 x 140.00 + 220.00
    assert first.profit == Decimal("399.99")
    tea, mug = first.items.order_by("pk")
    assert (tea.sku, tea.quantity, tea.unit_price, tea.line_total, tea.line_profit) == (
        "TEA-001",
        2,
        Decimal("250.00"),
        Decimal("500.00"),
        Decimal("220.00"),
    )
    assert (mug.product_name, mug.line_total, mug.line_cost) == ("Brass Mug", Decimal("399.99"), Decimal("220.00"))

    second = bills["A-1002"]
    assert second.created_at == local(2025, 3, 2, 15, 30)
    assert second.referral is None
    assert second.customer_email == ""
    assert second.total == Decimal("720.00")


def test_good_file_creates_products_and_categories_but_changes_no_stock(vendor, existing, good_csv):
    movements_before = StockMovement.objects.count()
    CategoryFactory(name="Tea", slug="tea")

    result = sales_import(vendor=vendor, rows=io.StringIO(good_csv), actor=vendor)

    assert (result.created_products, result.created_categories) == (2, 1)  # Tea existed already
    tea = Product.objects.get(vendor=vendor, sku="TEA-001")
    assert (tea.name, tea.quantity, tea.is_active) == ("Assam Gold", 0, True)
    assert (tea.sale_price, tea.cost_price) == (Decimal("250.00"), Decimal("140.00"))
    assert tea.category.slug == "tea"
    mug = Product.objects.get(vendor=vendor, sku="MUG-002")
    assert mug.category.name == "Kitchen"
    existing.refresh_from_db()
    assert existing.quantity == 7  # its history was imported, its stock is today's
    assert existing.name == "Old Stock Tea"
    old_line = BillItem.objects.get(bill__import_ref="A-1003")
    assert old_line.product == existing
    assert old_line.unit_cost == Decimal("50.00")  # no cost in the file: the product's
    assert StockMovement.objects.count() == movements_before
    imported = Bill.objects.filter(is_imported=True)
    assert imported.count() == 3
    assert not any(movements_for_source(bill).exists() for bill in imported)


def test_import_sends_no_invoice_email(vendor, good_csv, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sales_import(vendor=vendor, rows=io.StringIO(good_csv))
    assert callbacks == []
    assert mail.outbox == []


def test_imported_bills_leave_the_invoice_sequence_alone(vendor, existing, good_csv):
    sales_import(vendor=vendor, rows=io.StringIO(good_csv))
    bill = make_bill(vendor, (existing, 1))
    assert bill.sequence == 1
    assert bill.number.endswith("/000001")


def test_reimporting_the_same_file_creates_nothing(vendor, good_csv):
    sales_import(vendor=vendor, rows=io.StringIO(good_csv))
    before = database_counts()

    again = sales_import(vendor=vendor, rows=io.StringIO(good_csv))

    assert (again.created_bills, again.skipped_bills, again.created_products, again.lines) == (0, 3, 0, 0)
    assert database_counts() == before


@pytest.mark.parametrize("sku", ["AB-1", "ÄB-1", "ΣΑΣ-1", "İX-1", "ǅZ-1"])
def test_a_sale_of_an_existing_product_with_exactly_its_sku_is_that_product(vendor, sku):
    """Whatever letters the SKU holds, the importer groups SKUs as the database's SKU rule does:
    a line naming an existing product's SKU sells that product and creates none."""
    product = ProductFactory(vendor=vendor, name="Existing", sku=sku, quantity=3)
    result = sales_import(vendor=vendor, rows=io.StringIO(csv_text(f"2025-03-01,U-1,Existing,{sku},,2,10.00,,,,")))
    assert (result.created_bills, result.created_products) == (1, 0)
    assert BillItem.objects.get(bill__import_ref="U-1").product == product


def test_another_vendor_can_import_the_same_bill_refs(vendor, referral, good_csv):
    sales_import(vendor=vendor, rows=io.StringIO(good_csv))
    other = VendorFactory()
    text = good_csv.replace(referral.referral_code.lower(), "")
    assert sales_import(vendor=other, rows=io.StringIO(text)).created_bills == 3
    assert Product.objects.filter(vendor=other).count() == 3


def test_bad_rows_are_listed_by_line_and_nothing_is_written(vendor):
    before = database_counts()
    with (
        (FIXTURES / "sales_bad.csv").open(encoding="utf-8", newline="") as source,
        pytest.raises(ImportFailed) as caught,
    ):
        sales_import(vendor=vendor, rows=source)

    failure = caught.value
    assert [(problem["line"], problem["field"]) for problem in failure.lines] == [
        (3, "date"),
        (5, "quantity"),
        (6, "referral_code"),
    ]
    assert failure.extra["lines"] == failure.lines
    assert failure.status_code == 400
    assert "3 problems" in failure.detail
    assert "nothing was imported" in failure.detail
    assert "NOSUCH99" in failure.lines[2]["message"]
    assert database_counts() == before


def test_missing_required_header_is_reported(vendor):
    text = csv_text("2025-03-01,C-1,Tea,TEA-1,2,250.00", header="date,bill_ref,product,sku,quantity,unit_price")
    with pytest.raises(ImportFailed) as caught:
        sales_import(vendor=vendor, rows=io.StringIO(text))
    assert [(problem["line"], problem["field"]) for problem in caught.value.lines] == [(1, "category")]
    assert not Bill.objects.exists()


def test_headers_ignore_case_spaces_and_byte_order_mark_and_optional_columns_may_be_absent(vendor):
    header = "\ufeff Date ,BILL_REF,Product,SKU,Category,Quantity,Unit_Price"
    data = csv_text("2025-03-01,C-1,Tea,TEA-1,,2,250", header=header).encode("utf-8")
    result = sales_import(vendor=vendor, rows=io.BytesIO(data))
    assert result.created_bills == 1
    product = Product.objects.get(vendor=vendor)
    assert (product.category, product.cost_price) == (None, Decimal("0.00"))


def test_lines_of_one_bill_must_agree_on_date_customer_and_referral(vendor, referral):
    text = csv_text(
        "2025-03-01,D-1,Tea,TEA-1,Tea,1,10,,Meera,meera@example.com,",
        "2025-03-02,D-1,Mug,MUG-1,Tea,1,10,,Meera,MEERA@example.com,",
        f"2025-03-01,D-1,Cup,CUP-1,Tea,1,10,,Kabir,meera@example.com,{referral.referral_code}",
    )
    with pytest.raises(ImportFailed) as caught:
        sales_import(vendor=vendor, rows=io.StringIO(text))
    assert [(problem["line"], problem["field"]) for problem in caught.value.lines] == [
        (3, "date"),
        (4, "customer_name"),
        (4, "referral_code"),
    ]
    assert "line 2" in caught.value.lines[0]["message"]
    assert not Product.objects.filter(vendor=vendor).exists()


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ("2999-01-01,E-1,Tea,TEA-1,Tea,1,10,,,,", "date"),
        ("2025-02-30,E-1,Tea,TEA-1,Tea,1,10,,,,", "date"),
        ("2025-03-01,E-1,,TEA-1,Tea,1,10,,,,", "product"),
        ("2025-03-01,E-1,Tea,,Tea,1,10,,,,", "sku"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,0,10,,,,", "quantity"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1000001,10,,,,", "quantity"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1.5,10,,,,", "quantity"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1,10.005,,,,", "unit_price"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1,-1,,,,", "unit_price"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1,NaN,,,,", "unit_price"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1,,,,,", "unit_price"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1,10,99999999999,,,", "unit_cost"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1,10,,Meera,not-an-email,", "customer_email"),
        ("2025-03-01,,Tea,TEA-1,Tea,1,10,,,,", "bill_ref"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1,10,,,,,extra", "row"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1000000,9999999999.99,,,,", "quantity"),
        ("2025-03-01,E-1,Te\x00a,TEA-1,Tea,1,10,,,,", "product"),
        ("2025-03-01,E-1,Tea,TEA-1\x00,Tea,1,10,,,,", "sku"),
        ("2025-03-01,E-1,Tea,TEA-1,Tea,1,10,,Meera,,AB\x00C", "referral_code"),
    ],
)
def test_each_bad_value_is_reported_on_its_line_and_column(vendor, cells, field):
    text = csv_text("2025-03-01,E-0,Tea,TEA-1,Tea,1,10,,,,", cells)
    with pytest.raises(ImportFailed) as caught:
        sales_import(vendor=vendor, rows=io.StringIO(text))
    assert [(problem["line"], problem["field"]) for problem in caught.value.lines] == [(3, field)]
    assert not Bill.objects.exists()


def test_nul_in_a_cell_is_reported_with_its_line_and_column_and_nothing_is_written(vendor):
    text = csv_text("2025-03-01,N-1,Assam\x00 Gold,TEA-1,Tea,1,10,,,,", "2025-03-01,N-2,Tea,TEA-2,Tea,1,10,,,,")
    with pytest.raises(ImportFailed) as caught:
        sales_import(vendor=vendor, rows=io.BytesIO(text.encode()))
    assert caught.value.lines == [{"line": 2, "field": "product", "message": "Null characters are not allowed."}]
    assert not Bill.objects.exists()
    assert not Product.objects.filter(vendor=vendor).exists()


def test_lone_surrogate_in_a_dict_row_is_reported(vendor):
    row = {"date": "2025-03-01", "bill_ref": "S-1", "product": "Tea \ud800", "sku": "T-1", "quantity": "1"}
    with pytest.raises(ImportFailed) as caught:
        sales_import(vendor=vendor, rows=[{**row, "category": "", "unit_price": "10"}])
    assert [(problem["line"], problem["field"]) for problem in caught.value.lines] == [(2, "product")]


def test_file_that_is_not_utf8_is_refused(vendor):
    data = csv_text("2025-03-01,F-1,Chaï,TEA-1,Tea,1,10,,,,").encode("latin-1")
    with pytest.raises(ImportFailed) as caught:
        sales_import(vendor=vendor, rows=io.BytesIO(data))
    assert caught.value.lines[0]["field"] == "file"
    assert "UTF-8" in caught.value.lines[0]["message"]


def test_empty_file_and_header_only_file_are_refused(vendor):
    for text in ("", HEADER + "\n"):
        with pytest.raises(ImportFailed):
            sales_import(vendor=vendor, rows=io.StringIO(text))


def test_rows_may_be_dicts(vendor):
    rows = [
        {"date": "2025-03-01", "bill_ref": "G-1", "product": "Tea", "sku": "TEA-1", "category": "Tea"}
        | {"quantity": 2, "unit_price": Decimal("12.50")},
    ]
    result = sales_import(vendor=vendor, rows=rows)
    assert result.created_bills == 1
    assert Bill.objects.get().total == Decimal("25.00")


def test_dry_run_counts_but_keeps_nothing(vendor, good_csv):
    before = database_counts()
    result = sales_import(vendor=vendor, rows=io.StringIO(good_csv), dry_run=True)
    assert (result.dry_run, result.created_bills, result.created_products) == (True, 3, 2)
    assert database_counts() == before


def test_progress_is_reported_for_each_bill(vendor, good_csv):
    calls = []
    sales_import(vendor=vendor, rows=io.StringIO(good_csv), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_only_vendors_import():
    with pytest.raises(ImportNotAllowed):
        sales_import(vendor=InfluencerFactory(), rows=io.StringIO(csv_text("2025-03-01,H-1,Tea,T,,1,1,,,,")))


@pytest.mark.database_unique_rules
def test_database_refuses_a_second_import_of_one_bill_ref(vendor):
    sales_import(vendor=vendor, rows=io.StringIO(csv_text("2025-03-01,J-1,Tea,TEA-1,,1,10,,,,")))
    bill = Bill.objects.get()
    bill.pk, bill.number = None, "IMP-other"
    with pytest.raises(IntegrityError):
        bill.save()


# --- The command ------------------------------------------------------------------------------


def test_command_imports_the_file_and_prints_a_summary(vendor, good_csv, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(good_csv, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_sales", str(path), vendor=vendor.email.upper(), stdout=out, stderr=err, verbosity=0)
    assert "Imported 3 bills (4 lines)" in out.getvalue()
    assert "2 new products" in out.getvalue()
    assert Bill.objects.filter(vendor=vendor, is_imported=True).count() == 3

    out = io.StringIO()
    call_command("import_sales", str(path), vendor=vendor.email, stdout=out, verbosity=0)
    assert "Imported 0 bills" in out.getvalue()
    assert "3 already imported skipped" in out.getvalue()


def test_command_lists_bad_rows_and_fails(vendor):
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_sales", str(FIXTURES / "sales_bad.csv"), vendor=vendor.email, stderr=err, verbosity=0)
    assert "nothing was imported" in str(caught.value)
    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["line 3, date", "line 5, quantity", "line 6, referral_code"]
    assert not Bill.objects.exists()


def test_command_refuses_unknown_vendor_and_non_vendor(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(csv_text("2025-03-01,K-1,Tea,T,,1,1,,,,"))
    with pytest.raises(CommandError, match="No user"):
        call_command("import_sales", str(path), vendor="nobody@example.com", verbosity=0)
    with pytest.raises(CommandError, match="not a vendor"):
        call_command("import_sales", str(path), vendor=InfluencerFactory().email, verbosity=0)
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import_sales", str(tmp_path / "missing.csv"), vendor=VendorFactory().email, verbosity=0)


def test_command_dry_run_keeps_nothing(vendor, good_csv, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(good_csv)
    out = io.StringIO()
    call_command("import_sales", str(path), vendor=vendor.email, dry_run=True, stdout=out, verbosity=0)
    assert "Dry run" in out.getvalue()
    assert not Bill.objects.exists()


# --- The page ---------------------------------------------------------------------------------

IMPORT_URL = "/analytics/import/"


def upload(text, name="sales.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_page_shows_the_expected_columns(client, vendor):
    client.force_login(vendor)
    assert reverse("billing:sales-import") == IMPORT_URL
    content = client.get(IMPORT_URL).content.decode()
    assert "<code>referral_code</code> (optional)" in content
    assert "2025-03-01,A-1001,Assam Gold" in content
    assert 'enctype="multipart/form-data"' in content


def test_page_imports_a_good_file_and_shows_the_summary(client, vendor, good_csv):
    client.force_login(vendor)
    response = client.post(IMPORT_URL, {"file": upload(good_csv)})
    content = response.content.decode()
    assert response.status_code == 200
    assert "3 bills created (4 lines)" in content
    assert "0 bills skipped" in content
    assert reverse("billing:bill-list") in content
    assert Bill.objects.filter(vendor=vendor, created_by=vendor).count() == 3

    again = client.post(IMPORT_URL, {"file": upload(good_csv)}).content.decode()
    assert "Nothing new to import" in again
    assert "3 bills skipped" in again


def test_page_lists_bad_lines_and_keeps_nothing(client, vendor):
    client.force_login(vendor)
    text = (FIXTURES / "sales_bad.csv").read_text()
    content = client.post(IMPORT_URL, {"file": upload(text)}).content.decode()
    assert 'id="import-errors"' in content
    for line, field in [(3, "date"), (5, "quantity"), (6, "referral_code")]:
        assert f'<td class="num">{line}</td><td>{field}</td>' in content
    assert not Bill.objects.exists()
    assert not Product.objects.filter(vendor=vendor).exists()


def test_page_lists_a_nul_in_a_product_name_and_keeps_nothing(client, vendor):
    client.force_login(vendor)
    text = csv_text("2025-03-01,N-1,Assam\x00 Gold,TEA-1,Tea,1,10,,,,")
    response = client.post(IMPORT_URL, {"file": upload(text)})
    content = response.content.decode()
    assert response.status_code == 200
    assert '<td class="num">2</td><td>product</td>' in content
    assert "Null characters are not allowed." in content
    assert not Bill.objects.exists()


def test_page_refuses_a_file_that_is_not_csv_or_too_large(client, vendor, monkeypatch):
    client.force_login(vendor)
    content = client.post(IMPORT_URL, {"file": upload("x", name="sales.xlsx")}).content.decode()
    assert "Choose a .csv file." in content
    monkeypatch.setattr("billing.forms.MAX_IMPORT_FILE_SIZE", 10)
    content = client.post(IMPORT_URL, {"file": upload(HEADER)}).content.decode()
    assert "larger than 5 MB" in content
    assert not Bill.objects.exists()


def test_page_is_for_vendors_only(client):
    client.force_login(InfluencerFactory())
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": upload(HEADER)}).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))

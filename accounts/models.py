import unicodedata

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    VENDOR = "vendor", "Vendor"
    INFLUENCER = "influencer", "Influencer"


def canonical_email(address) -> str:
    """The one spelling of an email address that names an account.

    Sign-up, login, the login-failure counters, password reset and the admin all store and look
    up this form, and only with exact comparisons: a database's own case folding (PostgreSQL's
    ``UPPER()`` turns the dotless i U+0131 into I and the long s U+017F into S) never decides who a user is. NFKC
    folds compatibility forms (fullwidth letters, the Kelvin sign), ``casefold()`` folds case the
    way Unicode defines it.
    """
    if not isinstance(address, str):
        return ""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", address).casefold()).strip()


# How a closed account is named wherever others see it (chats, applications, the admin).
CLOSED_ACCOUNT_NAME = "Deleted user"


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        return canonical_email(email)

    def get_by_natural_key(self, email):
        return self.get(email=canonical_email(email))

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("display_name", "Admin")
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their email: a vendor, an influencer, or a staff admin."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=150)
    role = models.CharField(
        max_length=16,
        choices=Role.choices,
        blank=True,
        help_text="Vendor or influencer. Staff accounts (admins) may have none.",
    )
    business_name = models.CharField(max_length=200, blank=True, help_text="A vendor's trading name.")
    is_staff = models.BooleanField("admin", default=False, help_text="Admins can log into the admin site.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    password_changed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Failed logins before this moment no longer count."
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the account was closed and its personal data erased."
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values) | models.Q(is_staff=True),
                name="user_has_role_unless_staff",
            ),
        ]
        indexes = [models.Index(fields=["role", "date_joined"], name="user_role_joined_idx")]

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @property
    def is_vendor(self):
        return self.role == Role.VENDOR

    @property
    def is_influencer(self):
        return self.role == Role.INFLUENCER

    @property
    def is_closed(self):
        return self.closed_at is not None

    @property
    def public_name(self):
        """How others see this user: a vendor's business, else the display name ("Deleted user"
        once the account is closed: closing writes that name and empties the business name, so
        the rule reads only the names and a list that loads just them stays one query)."""
        return (self.is_vendor and self.business_name) or self.display_name


class VendorManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().filter(role=Role.VENDOR)


class InfluencerManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().filter(role=Role.INFLUENCER)


class Vendor(User):
    objects = VendorManager()

    class Meta:
        proxy = True
        verbose_name = "vendor"


class Influencer(User):
    objects = InfluencerManager()

    class Meta:
        proxy = True
        verbose_name = "influencer"


class Wallet(models.Model):
    """A user's token balance. ``balance`` always equals the sum of its transactions' amounts."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="wallet")
    balance = models.BigIntegerField(default=0, help_text="Tokens available; never negative.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(balance__gte=0), name="wallet_balance_not_negative")]

    def __str__(self):
        return f"{self.user} ({self.balance} tokens)"


class WalletTransaction(models.Model):
    """One change of a wallet's balance: the ledger row, never edited or deleted."""

    class Kind(models.TextChoices):
        GRANT = "grant", "Grant"
        SPEND = "spend", "Spend"
        REFUND = "refund", "Refund"
        ADJUSTMENT = "adjustment", "Adjustment"

    wallet = models.ForeignKey(Wallet, on_delete=models.CASCADE, related_name="transactions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.IntegerField(help_text="Tokens added (positive) or taken (negative).")
    balance_after = models.BigIntegerField(help_text="The wallet's balance right after this change.")
    reason = models.CharField(max_length=200)
    reference = models.CharField(max_length=200, blank=True, help_text='What it was for, e.g. "campaign:12 invite".')
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="spend", amount__lt=0)
                    | models.Q(kind__in=["grant", "refund"], amount__gt=0)
                    | (models.Q(kind="adjustment") & ~models.Q(amount=0))
                ),
                name="wallet_transaction_amount_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0), name="wallet_transaction_balance_after_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["wallet", "-created_at", "-id"], name="wallet_tx_wallet_newest_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount:+d} → {self.balance_after}"

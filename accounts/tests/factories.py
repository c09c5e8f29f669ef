import functools

import factory
from django.contrib.auth.hashers import make_password

from accounts.models import Role, User

PASSWORD = "correct-horse-battery-staple"


@functools.cache
def _password_hash():
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Faker("name")
    role = Role.INFLUENCER
    # Argon2 is slow on purpose; hashing once per test run keeps the suite fast.
    password = factory.LazyFunction(_password_hash)


class VendorFactory(UserFactory):
    role = Role.VENDOR
    email = factory.Sequence(lambda n: f"vendor{n}@example.com")
    business_name = factory.Faker("company")


class InfluencerFactory(UserFactory):
    role = Role.INFLUENCER
    email = factory.Sequence(lambda n: f"influencer{n}@example.com")


class AdminFactory(UserFactory):
    role = ""
    email = factory.Sequence(lambda n: f"admin{n}@example.com")
    is_staff = True
    is_superuser = True


def give_tokens(user, amount, reason="Test tokens"):
    """Put ``amount`` tokens in the user's wallet the way the product does: a grant on the ledger."""
    from accounts.wallet import wallet_grant

    wallet_grant(user=user, amount=amount, reason=reason)
    return user.wallet

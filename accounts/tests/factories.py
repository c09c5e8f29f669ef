import factory

from accounts.models import Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Faker("name")
    role = Role.INFLUENCER
    password = factory.django.Password(PASSWORD)


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

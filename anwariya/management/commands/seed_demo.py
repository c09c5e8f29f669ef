"""Demo data for trying Anwariya out: ``make run`` seeds an empty database with it."""

import random

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from accounts.models import Role, User
from accounts.wallet import wallet_signup_grant

DEMO_PASSWORD = "anwariya-demo-2026"
ADMIN_EMAIL = "admin@demo.anwariya.local"

BUSINESSES = ["Indigo Loom", "Chai & Co", "Saffron Skin", "Monsoon Threads", "Brass Bazaar", "Tiffin Tales"]
FIRST_NAMES = ["Aisha", "Rohan", "Meera", "Kabir", "Zoya", "Arjun", "Noor", "Vikram", "Ira", "Dev", "Sana", "Ishaan"]


class Command(BaseCommand):
    help = "Create demo vendors, influencers and an admin, all with the same demo password."

    def add_arguments(self, parser):
        parser.add_argument("--vendors", type=int, default=2)
        parser.add_argument("--influencers", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any user exists already.")

    def handle(self, *args, vendors, influencers, seed, if_empty, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("Users exist already; no demo data added.")
            return
        names = random.Random(seed).sample(FIRST_NAMES, len(FIRST_NAMES))
        plan = [("admin", 0)] + [(Role.VENDOR, i) for i in range(1, vendors + 1)]
        plan += [(Role.INFLUENCER, i) for i in range(1, influencers + 1)]
        with transaction.atomic():
            for index, (role, number) in enumerate(
                tqdm(plan, desc="Demo users", unit="user", disable=options["verbosity"] == 0)
            ):
                self._user(role, number, names[index % len(names)])
        self._print_logins()

    def _user(self, role, number, name):
        if role == "admin":
            email, fields = ADMIN_EMAIL, {"display_name": "Demo Admin", "is_staff": True, "is_superuser": True}
        else:
            email = f"{role}{number}@demo.anwariya.local"
            fields = {"display_name": name, "role": role}
            if role == Role.VENDOR:
                fields["business_name"] = BUSINESSES[(number - 1) % len(BUSINESSES)]
        if User.objects.filter(email=email).exists():
            return None
        user = User.objects.create_user(email, DEMO_PASSWORD, **fields)
        wallet_signup_grant(user=user)
        return user

    def _print_logins(self):
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for user in User.objects.filter(email__endswith="@demo.anwariya.local").order_by("role", "email"):
            kind = user.get_role_display() or "Admin"
            self.stdout.write(f"  {kind:<11} {user.email}")

"""Categories: shared by every vendor, each with a unique ASCII slug."""

import hashlib

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from anwariya.errors import Conflict
from catalog.models import Category
from catalog.services.common import CatalogError


def category_slug(name: str) -> str:
    """The slug made from a category's name: its Latin letters and digits, or, for a name without
    any (a Hindi name), "category-" and a short digest of the name. Slugs stay ASCII, as the API
    documents them."""
    return slugify(name) or f"category-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def category_create(*, name: str, slug: str = "", description: str = "", actor=None) -> Category:
    name = (name or "").strip()
    slug = slugify(slug) if slug else category_slug(name)
    errors = {}
    if not name:
        errors["name"] = ["This field is required."]
    if not slug:
        errors["slug"] = ["Give a slug of letters, digits, hyphens or underscores."]
    elif Category.objects.filter(slug=slug).exists():
        errors["slug"] = [f'A category with the slug "{slug}" already exists.']
    if errors:
        raise CatalogError("Please correct the highlighted fields.", errors=errors)
    try:
        with transaction.atomic():
            return Category.objects.create(name=name, slug=slug, description=description or "", created_by=actor)
    except IntegrityError:
        raise CatalogError(errors={"slug": [f'A category with the slug "{slug}" already exists.']}) from None


def category_update(*, category: Category, **changes) -> Category:
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise CatalogError("Please correct the highlighted fields.", errors={"name": ["This field is required."]})
    if "slug" in changes:
        # An empty slug is made from the name, as on creation.
        changes["slug"] = (
            slugify(changes["slug"]) if changes["slug"] else category_slug(changes.get("name", category.name))
        )
        if not changes["slug"]:
            raise CatalogError(
                "Please correct the highlighted fields.",
                errors={"slug": ["Give a slug of letters, digits, hyphens or underscores."]},
            )
        if Category.objects.filter(slug=changes["slug"]).exclude(pk=category.pk).exists():
            raise CatalogError(
                "Please correct the highlighted fields.",
                errors={"slug": [f'A category with the slug "{changes["slug"]}" already exists.']},
            )
    for field, value in changes.items():
        setattr(category, field, value)
    try:
        with transaction.atomic():
            category.save(update_fields=list(changes) or None)
    except IntegrityError:
        raise CatalogError(errors={"slug": ["A category with this slug already exists."]}) from None
    return category


def category_delete(*, category: Category) -> None:
    if category.products.exists():
        raise Conflict("This category still has products; move them first.", errors={"category": ["In use."]})
    category.delete()


def categories_for_names(*, names, actor=None) -> tuple[dict[str, Category], int]:
    """The categories named ``names`` by slug, creating the missing ones (the sales import's
    unknown categories); returns them by slug and how many were created."""
    slugs = {}
    for name in names:
        if name:
            slugs.setdefault(category_slug(name), name)
    categories = {category.slug: category for category in Category.objects.filter(slug__in=list(slugs))}
    created = 0
    for slug, name in slugs.items():
        if slug not in categories:
            categories[slug] = category_create(name=name, slug=slug, actor=actor)
            created += 1
    return categories, created

"""The starting niches and content types; admins manage the lists afterwards."""

from django.utils.text import slugify

NICHES = [
    "Beauty",
    "Books",
    "Comedy",
    "Education",
    "Fashion",
    "Finance",
    "Fitness",
    "Food",
    "Gaming",
    "Health",
    "Home & Decor",
    "Lifestyle",
    "Music",
    "Parenting",
    "Pets",
    "Photography",
    "Sports",
    "Sustainability",
    "Tech",
    "Travel",
]
FORMATS = ["Reels", "Posts", "Stories", "Videos", "Shorts", "Blogs", "Live streams", "Podcasts"]


def seed_managed_lists(niche_model, format_model):
    """Create the starting entries that are missing (models passed in, so migrations can use it)."""
    for model, names in ((niche_model, NICHES), (format_model, FORMATS)):
        for name in names:
            model.objects.get_or_create(slug=slugify(name), defaults={"name": name})

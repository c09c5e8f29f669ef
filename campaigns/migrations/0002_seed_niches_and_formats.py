from django.db import migrations
from django.utils.text import slugify

NICHES = [
    "Beauty", "Books", "Comedy", "Education", "Fashion", "Finance", "Fitness", "Food", "Gaming", "Health",
    "Home & Decor", "Lifestyle", "Music", "Parenting", "Pets", "Photography", "Sports", "Sustainability",
    "Tech", "Travel",
]
FORMATS = ["Reels", "Posts", "Stories", "Videos", "Shorts", "Blogs", "Live streams", "Podcasts"]


def seed(apps, schema_editor):
    Niche = apps.get_model("campaigns", "Niche")
    ContentFormat = apps.get_model("campaigns", "ContentFormat")
    for name in NICHES:
        Niche.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    for name in FORMATS:
        ContentFormat.objects.get_or_create(slug=slugify(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

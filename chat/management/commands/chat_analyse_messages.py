"""Find the tags and language of chat messages saved before they were detected (or of all of
them, after the rules changed), in batches, with a progress bar."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from chat.models import Message
from chat.services import messages_analyse

BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Detect the tags and language of chat messages that have none yet (--all: of every message)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Analyse every message again, not only new ones.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, **options):
        batch_size = max(1, options["batch_size"])
        messages = Message.objects.order_by("pk")
        if not options["all"]:
            messages = messages.filter(language="")  # never analysed: analysis always stores a code or "und"
        total = messages.count()
        done, last_pk = 0, 0
        with tqdm(total=total, desc="Messages", unit="msg", disable=options["verbosity"] == 0) as bar:
            while True:
                # Keyset batches: analysed messages leave the "new only" set, so no offset is used.
                batch = list(messages.filter(pk__gt=last_pk)[:batch_size])
                if not batch:
                    break
                done += messages_analyse(messages=batch)
                last_pk = batch[-1].pk
                bar.update(len(batch))
        self.stdout.write(self.style.SUCCESS(f"Analysed {done} message{'s' if done != 1 else ''}."))

"""Compile locale/<language>/LC_MESSAGES/django.po to the .mo files Django reads, with Babel (a
dependency already), so `make run` and `make test` need no GNU gettext. The .mo files are built,
never committed: a binary in review shows nothing."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po translations to .mo (Babel; no gettext needed)."

    def handle(self, *args, **options):
        for base in settings.LOCALE_PATHS:
            for po in sorted(Path(base).glob("*/LC_MESSAGES/*.po")):
                with po.open("rb") as f:
                    catalog = read_po(f)
                with po.with_suffix(".mo").open("wb") as f:
                    write_mo(f, catalog, use_fuzzy=False)
                self.stdout.write(f"{po.with_suffix('.mo')}: {len([m for m in catalog if m.id])} messages")

"""CI's check of the translations (issue 30): every text marked for translation in the code and
templates is in each language's .po, translated, and not fuzzy; a message the code no longer has
is gone from it. Runs Django's `makemessages` (GNU gettext's xgettext) on a copy, so the checked
files are left as they are. Exits 1 naming what is missing."""

import shutil
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

IGNORE = [".venv/*", "tests/*", "node_modules/*", "test-artifacts/*", "bench/*", "fuzz/*", "locale/*"]


def _ids(path: Path) -> dict:
    with path.open("rb") as f:
        catalog = read_po(f)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}


class Command(BaseCommand):
    help = "Fail when a marked text has no translation, or a translation is fuzzy or stale."

    def handle(self, *args, **options):
        problems = []
        root = Path(settings.BASE_DIR)
        for base in settings.LOCALE_PATHS:
            for po in sorted(Path(base).glob("*/LC_MESSAGES/django.po")):
                language = po.parts[-3]
                kept = _ids(po)
                with tempfile.TemporaryDirectory() as scratch:
                    saved = Path(scratch) / "django.po"
                    shutil.copy(po, saved)
                    try:
                        call_command("makemessages", locale=[language], ignore_patterns=IGNORE, verbosity=0)
                        extracted = _ids(po)
                    finally:
                        shutil.copy(saved, po)
                for key in sorted(set(extracted) - set(kept), key=str):
                    problems.append(f"{language}: not in {po.relative_to(root)}: {key[1]!r}")
                for key in sorted(set(kept) - set(extracted), key=str):
                    problems.append(f"{language}: no longer in the code: {key[1]!r}")
                for key, message in kept.items():
                    strings = message.string if isinstance(message.string, tuple) else (message.string,)
                    if not all(strings):
                        problems.append(f"{language}: untranslated: {key[1]!r}")
                    if message.fuzzy:
                        problems.append(f"{language}: fuzzy: {key[1]!r}")
        if problems:
            raise CommandError("Translations are not complete:\n" + "\n".join(problems))
        self.stdout.write("Translations complete.")

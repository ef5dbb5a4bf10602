from django.apps import AppConfig
from django.core.checks import Tags, register


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Shared API plumbing"

    def ready(self):
        from .checks import media_served_check, shared_cache_check, translations_compiled_check

        # A deployment check, like Django's security ones: `check --deploy` fails without a
        # shared cache. Not on every command, so migrate and tools still run on one process.
        register(shared_cache_check, Tags.caches, deploy=True)
        register(media_served_check, Tags.files, deploy=True)
        register(translations_compiled_check, Tags.translation, deploy=True)

"""The Celery app, laid out as Celery's Django guide has it: `celery -A config worker` and
`celery -A config beat` find it here, and every installed app's `tasks` module is loaded.

Its settings are the `CELERY_*` names of `config.settings` (Redis from `REDIS_URL` is the
broker). Without `REDIS_URL` there is no worker: `notifications` sends in-process once the
transaction commits, so `make run` needs nothing else.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

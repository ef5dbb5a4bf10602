"""With DATABASE_REPLICA_URL the list endpoints read from the replica alias (a test mirror of the
primary here); detail reads and every write stay on the primary."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import django
django.setup()
from django.conf import settings
from common.db import list_db
from customers.selectors import address_list_for_customer
from loyalty.selectors import points_activity_for_customer
print(sorted(settings.DATABASES), list_db(),
      address_list_for_customer(customer=None).db, points_activity_for_customer(customer=None).db)
"""


def test_list_reads_go_to_the_replica_when_configured():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": "sqlite:///primary.sqlite3",
        "DATABASE_REPLICA_URL": "sqlite:///replica.sqlite3",
    }
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['default',", "'replica']", "replica", "replica", "replica"]
    env.pop("DATABASE_REPLICA_URL")
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split()[-3:] == ["default", "default", "default"]

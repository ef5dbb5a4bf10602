#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # On a laptop with nothing configured, management commands (check, makemigrations, shell)
    # run in development mode. An environment that sets SECRET_KEY is a real one: there DEBUG
    # stays off unless it says otherwise, as it does for the app servers (config/wsgi.py).
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

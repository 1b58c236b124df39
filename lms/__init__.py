"""HọcSố: the Django project package (settings, urls, Celery app) and the shared kernel apps."""

from .celery import app as celery_app

__all__ = ["celery_app"]

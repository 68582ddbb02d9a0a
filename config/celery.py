import functools
import logging
import os
import reprlib

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger("config.celery")


class PortalTask(DjangoTask):
    """Every task of the portal. `delay_on_commit` / `apply_async_on_commit` send the task
    once the transaction commits, and a failure then — the broker is down or, without a
    broker, the task itself raised in-process — is logged, never raised: the action that
    committed stays a success for its user (who would otherwise see a 500 and do it again),
    and the other after-commit callbacks still run."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self._send_committed, args, kwargs, {}))

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        transaction.on_commit(functools.partial(self._send_committed, args, kwargs, options))

    def _send_committed(self, args, kwargs, options) -> None:
        try:
            self.apply_async(args, kwargs, **options)
        except Exception:
            logger.exception(
                "Task %s %s failed after its transaction committed",
                self.name,
                reprlib.repr(kwargs),  # a chunk's ids may be thousands long
            )


app = Celery("portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

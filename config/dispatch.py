"""Sending a Celery task by its registered name.

Services send tasks by name, so that a service never imports its app's `tasks` module
(which imports the services): the import arrow runs tasks → services only.
"""

from celery import current_app
from django.db import transaction


def task_named(name: str):
    """The registered task `name` (importing every app's tasks module the first time)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def send_on_commit(name: str, **kwargs) -> None:
    """Send task `name` once the current transaction commits (run in-process, eagerly,
    when no broker is configured)."""
    task_named(name).delay_on_commit(**kwargs)


def send_now(name: str, **kwargs):
    return task_named(name).delay(**kwargs)


class OnCommitBatch:
    """One task sent when the transaction commits, carrying every id added to it meanwhile."""

    def __init__(self, name: str, key: str):
        self.name, self.key = name, key
        self.ids: set = set()
        self.sent = False

    def __call__(self):
        self.sent = True
        send_now(self.name, **{self.key: sorted(self.ids)})


def send_batched_on_commit(name: str, key: str, ids) -> None:
    """Send task `name` once the current transaction commits, its `key` argument holding
    every id given for that task in the transaction: a burst of calls (a report, then its
    labels) is one task. Outside a transaction it is sent at once."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return
    waiting = (
        f for _sids, f, *_rest in transaction.get_connection().run_on_commit
        if isinstance(f, OnCommitBatch) and f.name == name and not f.sent
    )  # fmt: skip
    batch = next(waiting, None)
    if batch is None:
        batch = OnCommitBatch(name, key)
        batch.ids |= ids
        transaction.on_commit(batch)
    else:
        batch.ids |= ids

"""Sending a Celery task by its registered name.

Services send tasks by name, so that a service never imports its app's `tasks` module
(which imports the services): the import arrow runs tasks → services only.
"""

from celery import current_app


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

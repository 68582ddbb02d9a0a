"""Run several people's sessions at once, each on its own thread and connection."""

import threading
import traceback

from django.db import connections


def run_at_once(sessions, *, timeout=300) -> list[str]:
    """Start every `session()` together (a barrier) and wait; returns the errors: each
    session's own (it appends to the list it is given) and any exception it raised."""
    errors: list[str] = []
    start = threading.Barrier(len(sessions))

    def run(index, session):
        try:
            start.wait()
            session(errors)
        except Exception:
            errors.append(f"session {index}: {traceback.format_exc()}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a session did not finish"
    return errors


def expect_redirect(errors, response, what):
    """A page POST that succeeded answers a redirect; anything else is a failure."""
    if response.status_code != 302:
        errors.append(f"{what}: HTTP {response.status_code}")

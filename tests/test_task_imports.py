"""Services send tasks by their registered name; no service imports a tasks module (the
tasks import the services, and the arrow runs one way)."""

import ast
from pathlib import Path

import pytest

from config.celery import app
from config.dispatch import task_named

ROOT = Path(__file__).resolve().parent.parent


def test_no_service_imports_a_tasks_module():
    offenders = []
    for path in [*ROOT.glob("*/services.py"), *ROOT.glob("*/services/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            if any(m.split(".")[-1] == "tasks" for m in modules):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


@pytest.mark.django_db
def test_every_name_a_service_sends_is_a_registered_task():
    import re

    sent = set()
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text()
        sent |= set(re.findall(r'send_(?:on_commit|now)\(\s*"([\w.]+)"', text))
        sent |= set(re.findall(r'task="([\w.]+)"', text))
    assert sent, "no task sent by name"
    for name in sorted(sent):
        assert task_named(name).name == name
    assert sent <= set(app.tasks)

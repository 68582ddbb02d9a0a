"""Imports run one way: a lower layer never imports a higher one (DESIGN.md, "The apps").

Every `import` in the project's code is read (module level and inside functions), so a
lazy import cannot hide an arrow that runs the wrong way.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. The base apps and the plumbing in config/ share their small helpers; the
# measure apps stand side by side and never import each other (what one needs from another
# goes down into the registry or conditions, or is sent as a signal or a task by name).
LAYERS = [
    {"config", "accounts", "audit", "notifications", "workdays"},
    {"registry"},
    {"conditions"},
    {"selection", "adjustment", "policies", "resources", "vouchers", "scenarios", "finance"},
    {"reports", "portal"},
    {"demo", "bench", "tests"},
]
LAYER_OF = {app: n for n, apps in enumerate(LAYERS) for app in apps}
MEASURES = 3
# Wiring: the root URL conf and the API router include every app's URLs and views.
WIRING = {"config/urls.py", "config/api_urls.py"}


def _imported_apps(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module.split(".")[0]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]


def _violations():
    for app, layer in LAYER_OF.items():
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            relative = path.relative_to(ROOT).as_posix()
            if relative in WIRING or "/migrations/" in relative:
                continue
            for line, target in _imported_apps(path):
                if target == app or target not in LAYER_OF:
                    continue
                if LAYER_OF[target] > layer:
                    yield f"{relative}:{line} imports {target} (a higher layer)"
                elif LAYER_OF[target] == layer == MEASURES:
                    yield f"{relative}:{line} imports {target} (a sibling app of its layer)"


def test_no_lower_layer_imports_a_higher_one():
    assert list(_violations()) == []


def test_the_check_would_catch_an_upward_import(tmp_path, monkeypatch):
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "bad.py").write_text(
        "def f():\n    from policies.services import matching\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "adjustment").mkdir()
    (tmp_path / "adjustment" / "worse.py").write_text("import policies.models\n")
    assert sorted(_violations()) == [
        "adjustment/worse.py:1 imports policies (a sibling app of its layer)",
        "registry/bad.py:2 imports policies (a higher layer)",
    ]

"""bot/domain holds pure rules: no Slack, no database, no wall clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "bot" / "domain"
FORBIDDEN = ("slack_bolt", "slack_sdk", "sqlmodel", "sqlalchemy", "storage", "handlers")


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_no_slack_or_database(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in names if m.split(".")[0] in FORBIDDEN]


def test_nothing_imports_handlers() -> None:
    root = DOMAIN.parents[1]
    for path in [*root.joinpath("bot").rglob("*.py"), *root.joinpath("storage").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        if path.name == "app.py":
            continue  # the app factory is where handlers are wired
        assert "import handlers" not in text and "from handlers" not in text, path

"""Broadcasts stand above chat and campaigns: they import those, nothing imports them back, and
their modules talk through public names only."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BROADCASTS_MAY_IMPORT = {"accounts", "anwariya", "broadcasts", "campaigns", "chat", "profiles"}
PROJECT_APPS = BROADCASTS_MAY_IMPORT | {"analytics", "billing", "catalog"}


def _imports(path):
    """(module, name) for every absolute import in ``path``; name is None for ``import module``."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield from ((node.module, alias.name) for alias in node.names)


def _modules(app, *, with_tests=False):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT / app).parts
        if parts[0] == "migrations" or (parts[0] == "tests" and not with_tests):
            continue
        yield "/".join((app, *parts)), path


def test_broadcasts_import_only_the_apps_below_them():
    reached = {
        f"{name} imports {module}"
        for name, path in _modules("broadcasts")
        for module, _ in _imports(path)
        if module.split(".")[0] in PROJECT_APPS - BROADCASTS_MAY_IMPORT
    }
    assert reached == set()


def test_campaigns_and_chat_do_not_import_broadcasts():
    offenders = [
        f"{name} imports {module}"
        for app in ("campaigns", "chat")
        for name, path in _modules(app)
        for module, _ in _imports(path)
        if module.split(".")[0] == "broadcasts"
    ]
    assert offenders == []


def test_no_module_of_broadcasts_imports_another_ones_private_names():
    private = [
        f"{name} imports {module}.{imported}"
        for name, path in _modules("broadcasts", with_tests=True)
        for module, imported in _imports(path)
        if imported and imported.startswith("_") and not imported.startswith("__")
    ]
    assert private == []

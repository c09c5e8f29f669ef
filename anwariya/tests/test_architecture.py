"""The app graph of docs/architecture.md, read from the code's own imports.

Every module of every app (tests and migrations aside) is parsed, and each import of another app
must be one the graph allows; no module imports another module's ``_private`` names.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BASE = {"anwariya", "accounts"}
# Which apps each app may import, besides itself (docs/architecture.md, "Who may import whom").
MAY_IMPORT = {
    "anwariya": set(),
    "accounts": {"anwariya"},
    "profiles": BASE,
    "catalog": BASE,
    "campaigns": BASE | {"profiles", "catalog"},
    "chat": BASE | {"campaigns", "profiles"},
    "billing": BASE | {"catalog", "campaigns", "profiles"},
    "broadcasts": BASE | {"chat", "campaigns", "profiles"},
    "analytics": BASE | {"billing", "catalog", "campaigns", "collaborations", "profiles"},
    "collaborations": BASE | {"profiles", "catalog", "campaigns", "chat", "billing"},
}
# The composition root wires the apps together and may import any of them.
COMPOSITION_ROOT = {
    "anwariya/settings.py",
    "anwariya/urls.py",
    "anwariya/asgi.py",
    "anwariya/routing.py",
    "anwariya/management/commands/seed_demo.py",
}
APPS = set(MAY_IMPORT)


def app_modules():
    for app in sorted(APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield app, path


def imports_of(path):
    """``(line, module, names)`` for every import in the file, nested ones included."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            yield node.lineno, module, [alias.name for alias in node.names]


def test_every_import_between_apps_follows_the_graph():
    broken = []
    for app, path in app_modules():
        where = str(path.relative_to(ROOT))
        if where in COMPOSITION_ROOT:
            continue
        for line, module, _ in imports_of(path):
            target = module.split(".")[0]
            if target in APPS and target != app and target not in MAY_IMPORT[app]:
                broken.append(f"{where}:{line} imports {module} ({app} may not import {target})")
    assert broken == [], "\n".join(broken)


def test_no_module_imports_another_modules_private_names():
    private = []
    for _, path in app_modules():
        for line, module, names in imports_of(path):
            if module.split(".")[0] not in APPS:
                continue
            for name in names:
                if name.startswith("_") and not name.startswith("__"):
                    private.append(f"{path.relative_to(ROOT)}:{line} imports {name} from {module}")
    assert private == [], "\n".join(private)


def test_the_graph_has_no_cycle():
    """The allowed graph itself runs one way, so a change to it cannot sneak a cycle in."""
    seen, done = set(), set()

    def visit(app, trail):
        assert app not in seen - done, f"cycle: {' -> '.join([*trail, app])}"
        if app in done:
            return
        seen.add(app)
        for target in sorted(MAY_IMPORT[app]):
            visit(target, [*trail, app])
        done.add(app)

    for app in sorted(APPS):
        visit(app, [])


def test_every_app_is_in_the_graph():
    from django.apps import apps

    ours = {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()}
    assert ours == APPS


def test_every_app_has_its_tests_collected(pytestconfig):
    """pytest reads only the folders of ``testpaths``: an app missing there has its tests skipped
    silently, by ``make test`` and by CI."""
    assert set(pytestconfig.getini("testpaths")) == APPS

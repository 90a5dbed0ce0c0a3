"""Imports run one way, along the program (DESIGN.md, "Architecture"):

    lib and decision → regions → accounts → program → indicators → screening → questionnaires →
    assessment → mentoring → masterplans → evaluation → reports → site

A later stage imports an earlier one directly; an earlier one never knows a later one (no hook or
registry to hide such an import). ``lib``, ``decision`` and ``accounts`` (the permission table
every page uses) may be imported by every app; ``lib`` and ``decision`` import no app. Tests and
migrations are left out. Every module of the package is parsed, so a stage added later is checked
as soon as it exists; an app missing from the order fails too, until it is given its place.
"""

import ast
from pathlib import Path

import pytest

LAYERS = ["lib", "decision", "regions", "accounts", "program", "indicators", "screening", "questionnaires",
          "assessment", "mentoring", "masterplans", "evaluation", "reports", "site"]
ANYONE_MAY_USE = {"lib", "decision", "accounts"}
NOT_APPS = {"tests", "data", "locale", "static", "templates"}
PACKAGE = Path(__file__).resolve().parent.parent


def imported_apps(path, root=PACKAGE, package="kotacerdas"):
    """(line, app) of every import of an app of ``package`` in the module at ``path`` (inside
    ``root``, the package's folder), relative imports resolved against the module's package."""
    parts = path.relative_to(root).with_suffix("").parts
    module_package = [package, *parts[:-1]]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module_package[: len(module_package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names = [module] if module != package else [f"{package}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            dotted = name.split(".")
            if dotted[0] == package and len(dotted) > 1:
                found.append((node.lineno, dotted[1]))
    return found


def backward_imports(root=PACKAGE):
    """'path:line app -> app' of every import that runs against the order of LAYERS."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if len(parts) < 2 or parts[0] not in LAYERS or "tests" in parts or "migrations" in parts:
            continue
        source = parts[0]
        for line, target in imported_apps(path, root):
            if target == source or target not in LAYERS:
                continue
            if target in ANYONE_MAY_USE and source not in ("lib", "decision"):
                continue
            if LAYERS.index(target) > LAYERS.index(source):
                bad.append(f"{path.relative_to(root)}:{line} {source} -> {target}")
    return bad


def test_every_app_has_its_place_in_the_order():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} - NOT_APPS
    assert apps - set(LAYERS) == set()


def test_no_import_runs_backwards():
    assert backward_imports() == []


@pytest.mark.parametrize("where, statement, target", [
    ("regions", "from kotacerdas.assessment.models import Panel", "assessment"),
    ("program", "from ..screening import services", "screening"),
    ("reports", "import kotacerdas.site.builders", "site"),
    ("questionnaires", "from kotacerdas import reports", "reports"),
    ("lib", "from kotacerdas.accounts.permissions import scope", "accounts"),
])
def test_a_backward_import_is_found(tmp_path, where, statement, target):
    """The check itself, on a tree with one planted backward import beside allowed ones."""
    for app in ("lib", "accounts", where):
        (tmp_path / app).mkdir(exist_ok=True)
        (tmp_path / app / "__init__.py").write_text("")
    allowed = "from kotacerdas.lib import tabular\n" + ("" if where == "lib" else "from kotacerdas.accounts import permissions\n")
    (tmp_path / where / "planted.py").write_text(allowed + statement + "\n")
    (tmp_path / where / "tests").mkdir()
    (tmp_path / where / "tests" / "test_planted.py").write_text(statement + "\n")  # tests may import anything
    line = allowed.count("\n") + 1
    assert backward_imports(tmp_path) == [f"{where}/planted.py:{line} {where} -> {target}"]


def test_an_import_along_the_order_is_allowed(tmp_path):
    (tmp_path / "assessment").mkdir()
    (tmp_path / "assessment" / "views.py").write_text(
        "from kotacerdas.screening.services import runs\nfrom ..questionnaires.models import Evidence\n"
    )
    assert backward_imports(tmp_path) == []

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def test_importing_the_decision_engine_does_not_load_django():
    code = (
        "import sys, kotacerdas.decision; "
        "assert not any(m.split('.')[0] == 'django' for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('django'))"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parents[1])
    assert completed.returncode == 0, completed.stderr


def test_no_module_of_the_decision_engine_imports_django():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] == "django" for name in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []

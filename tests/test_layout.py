"""The package's layout rules, checked on the source: no import cycle, the shared
package depends on no plugin, no plugin reaches into another plugin's private names,
no module grows past 400 lines, and every module has its test file where the tests
mirror the source tree."""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "ckanext" / "vndata"
TESTS = pathlib.Path(__file__).resolve().parent
PLUGINS = ("metadata", "plan", "dcat", "quality", "harvester")
MAX_LINES = 400


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parents[1]).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, pathlib.Path]:
    return {
        _module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migration" not in path.parts
    }


def _imports(path: pathlib.Path, modules: dict[str, pathlib.Path]):
    """(imported module, imported name or None) for each import of a ckanext.vndata
    module in ``path``, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ckanext.vndata"):
                    yield alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module:
            if not node.module.startswith("ckanext.vndata"):
                continue
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule in modules:
                    yield submodule, None
                else:
                    yield node.module, alias.name


def _plugin_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[2] in PLUGINS else None


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        # Imports inside functions count too: a late import hides a cycle, it does
        # not remove it.
        for target, _ in _imports(path, modules):
            if target in modules and target != name:
                graph[name].add(target)
    return graph


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_shared_package_depends_on_no_plugin():
    modules = _modules()
    offending = [
        f"{name} imports {target}"
        for name, path in modules.items()
        if name.startswith("ckanext.vndata.lib")
        for target, _ in _imports(path, modules)
        if _plugin_of(target)
    ]
    assert offending == []


def test_no_plugin_uses_another_plugins_private_names():
    modules = _modules()
    offending = []
    for name, path in modules.items():
        for target, imported in _imports(path, modules):
            if _plugin_of(target) in (None, _plugin_of(name)):
                continue
            private_module = any(part.startswith("_") for part in target.split("."))
            if private_module or (imported or "").startswith("_"):
                offending.append(f"{name} imports {target} {imported or ''}".strip())
    assert offending == []


@pytest.mark.parametrize(
    "path",
    sorted(PACKAGE.rglob("*.py")),
    ids=lambda path: str(path.relative_to(PACKAGE)),
)
def test_module_is_at_most_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def _mirrored_modules() -> list[pathlib.Path]:
    """The modules that must have a test file of their own: not packages' __init__.py,
    not plugin.py (wiring only; tests/test_plugins.py loads every plugin), not the
    migrations (tests/plan/test_migrations.py and the harvester's run them)."""
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if path.name not in ("__init__.py", "plugin.py")
        and "migration" not in path.relative_to(PACKAGE).parts
    )


def _mirror(path: pathlib.Path) -> pathlib.Path:
    """``X/y.py`` is tested in ``tests/X/test_y.py`` (``_common.py`` in
    ``test_common.py``)."""
    relative = path.relative_to(PACKAGE)
    return TESTS / relative.parent / f"test_{relative.name.lstrip('_')}"


@pytest.mark.parametrize(
    "path",
    _mirrored_modules(),
    ids=lambda path: str(path.relative_to(PACKAGE)),
)
def test_module_has_its_mirroring_test_file(path):
    mirror = _mirror(path)

    assert mirror.is_file(), mirror.relative_to(TESTS.parent)

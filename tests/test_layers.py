"""The package keeps the layers DESIGN.md draws, and no module reaches into another's privates.

Every ``.py`` file of the package is parsed; every import counts, at module level or inside a
function, absolute or relative. Layers, bottom to top (each may import only its own layer and
those below it)::

    0  vocabulary   models, auth, cookies, hooks, utils, structures, status_codes, exceptions,
                    compat, certs, help, and the private helper modules (_*.py)
    1  protocol/    the sans-IO core
    2  transport/   blocking I/O
    3  adapters     HTTPAdapter, and packages (requests.packages.urllib3, which serves the
                    transport's Retry and errors under urllib3's names when urllib3 is missing)
    4  surface      sessions, redirects, api
    5  the package __init__, and bench (``python -m httpcore_lite.bench``: a program that uses
                    the whole client, as a user's would)

Imports under ``if TYPE_CHECKING:`` are never executed: they only name types for annotations, so
they may point anywhere. Everything else is checked, and each sanctioned exception is listed
below with its reason.

Private names: a module may not import another module's ``_name``, nor read or set
``obj._name`` unless ``_name`` belongs to the reading module (its own classes assign it to
``self``/``cls``, define it as a method, class attribute or ``__slots__`` entry). That catches
reaches into other modules of the package and into other libraries' internals alike.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "httpcore_lite"
PACKAGE = PACKAGE_DIR.name

LAYER_NAMES = ("vocabulary", "protocol", "transport", "adapters", "surface", "package")
SURFACE = frozenset(("sessions", "redirects", "api"))
# urllib3's names for the transport's classes: above the transport, beside the adapter (which
# takes urllib3-shaped objects too and imports packages for its warning category).
URLLIB3_COMPAT = frozenset(("packages", "_urllib3_idioms"))

# (importing module, imported module): the sanctioned imports from a higher layer. None today:
# the core builds a models.Response, and models sits below it.
ALLOWED_UPWARD: frozenset[tuple[str, str]] = frozenset()

# (importing module, private name): sanctioned imports of another module's private name.
ALLOWED_PRIVATE_IMPORTS: frozenset[tuple[str, str]] = frozenset()

# The one module that may rely on h11's internals (DESIGN.md: every reliance on h11 internals
# lives in one module, behind one switch, self-checked at import). Its attribute reads are not
# checked: reaching into h11 is its job.
H11_PROBE_MODULES = frozenset((f"{PACKAGE}.protocol.fastpath", f"{PACKAGE}.protocol._h11_fast"))

# namedtuple's public API carries a leading underscore so as not to clash with field names.
PUBLIC_UNDERSCORE = frozenset(("_replace", "_asdict", "_fields", "_make", "_field_defaults"))

# (reading module, attribute): sanctioned reads of a name the module does not own, each with why.
ALLOWED_PRIVATE_ATTRIBUTES: frozenset[tuple[str, str]] = frozenset(
    {
        # http.cookiejar keeps its cookies in CookieJar._cookies; cookies.jar_is_empty reads it
        # to skip the jar's lock and iteration when no cookie exists (the common case).
        (f"{PACKAGE}.cookies", "_cookies"),
        # CPython's os._Environ keeps the live mapping in _data: _env.getenv reads it to answer
        # a missing variable without os.environ.get's raise-and-catch (~2 µs each).
        (f"{PACKAGE}._env", "_data"),
        # requests' public utils.rewind_body takes any object with body and _body_position
        # (requests' name for PreparedRequest.body_position): that attribute is its contract.
        (f"{PACKAGE}._bodies", "_body_position"),
        # urllib3's Timeout, which requests passes through as it is: its public read_timeout
        # needs a started clock when total is set, so its two fields are read as they are.
        (f"{PACKAGE}.transport.timeout", "_connect"),
        (f"{PACKAGE}.transport.timeout", "_read"),
        # urllib3's HTTPResponse keeps the http.client response in _original_response, where
        # requests reads the Set-Cookie fields of a urllib3-shaped raw response; so do we.
        (f"{PACKAGE}.cookies", "_original_response"),
        # CPython's ssl.SSLSocket does its I/O through the SSLObject it keeps in _sslobj:
        # SocketStream reads and writes TLS through that object, skipping two Python layers per
        # call (looked up with getattr; without it the socket's own methods are used).
        (f"{PACKAGE}.transport.backends.tcp", "_sslobj"),
    }
)

# Modules the sans-IO core must never import (it does no I/O and keeps no time), and libraries
# the package never uses to do its work.
IO_MODULES = frozenset(("socket", "ssl", "select", "selectors", "asyncio", "threading", "time"))
FOREIGN_CLIENTS = frozenset(("urllib3", "requests", "httpx", "httpcore", "http.client"))
# requests.packages.urllib3 is resolved lazily to an installed urllib3: the one exception.
ALLOWED_FOREIGN = frozenset(((f"{PACKAGE}.packages", "urllib3"),))


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    line: int
    target: str  # the module imported from (or imported)
    name: str | None  # the name taken from it, None when the target itself is imported
    annotation_only: bool  # under `if TYPE_CHECKING:`


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package_module(name: str) -> bool:
    if not (name == PACKAGE or name.startswith(PACKAGE + ".")):
        return False
    relative = Path(*name.split("."))
    base = PACKAGE_DIR.parent / relative
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def layer(module: str) -> int:
    parts = module.split(".")[1:]
    if not parts or parts[0] == "bench":
        return 5
    top = parts[0]
    if top == "protocol":
        return 1
    if top == "transport":
        return 2
    if top == "adapters" or top in URLLIB3_COMPAT:
        return 3
    if top in SURFACE:
        return 4
    return 0


def sources() -> list[Path]:
    files = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(files) > 20
    return files


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, annotation_only: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    """Every node below ``node``, with whether it sits under ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.body:
                yield stmt, True
                yield from _walk(stmt, True)
            for stmt in child.orelse:
                yield stmt, annotation_only
                yield from _walk(stmt, annotation_only)
            continue
        yield child, annotation_only
        yield from _walk(child, annotation_only)


def imports(path: Path, tree: ast.Module) -> Iterator[Import]:
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node, annotation_only in _walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, node.lineno, alias.name, None, annotation_only)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if is_package_module(submodule):
                    yield Import(module, node.lineno, submodule, None, annotation_only)
                else:
                    yield Import(module, node.lineno, target, alias.name, annotation_only)


def parsed() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(), str(path))) for path in sources()]


PARSED = parsed()
ALL_IMPORTS = [imp for path, tree in PARSED for imp in imports(path, tree)]


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_the_parser_sees_relative_and_function_level_imports() -> None:
    # Guards the checks below against silently seeing nothing.
    targets = {(imp.module, imp.target) for imp in ALL_IMPORTS}
    assert (f"{PACKAGE}.sessions", f"{PACKAGE}.adapters") in targets  # relative, module level
    assert any(imp.annotation_only for imp in ALL_IMPORTS)
    functions = [
        node
        for _, tree in PARSED
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(node))
    ]
    assert functions, "no function-level relative import found: the walk is broken"


def test_no_import_from_a_higher_layer() -> None:
    found = []
    for imp in ALL_IMPORTS:
        if imp.annotation_only or not is_package_module(imp.target):
            continue
        if layer(imp.target) > layer(imp.module) and (imp.module, imp.target) not in ALLOWED_UPWARD:
            found.append(
                f"{imp.module}:{imp.line} ({LAYER_NAMES[layer(imp.module)]}) imports "
                f"{imp.target} ({LAYER_NAMES[layer(imp.target)]})"
            )
    assert not found, "upward imports:\n" + "\n".join(found)


def private_imports() -> Iterator[tuple[tuple[str, str], str]]:
    """Imports of another module's private name: ((module, name), where)."""
    for imp in ALL_IMPORTS:
        if imp.name is None or not _private(imp.name) or not is_package_module(imp.target):
            continue
        if imp.target != imp.module:
            yield (imp.module, imp.name), f"{imp.module}:{imp.line} imports {imp.target}.{imp.name}"


def test_no_import_of_another_modules_private_name() -> None:
    found = [where for key, where in private_imports() if key not in ALLOWED_PRIVATE_IMPORTS]
    assert not found, "private names imported from another module:\n" + "\n".join(found)


def owned_names(tree: ast.Module) -> set[str]:
    """The names a module defines for its own objects: functions, methods and classes, class
    attributes, ``__slots__`` entries, and attributes its code assigns on ``self``/``cls``."""
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            own.add(node.name)
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                value: ast.expr | None
                if isinstance(stmt, ast.Assign):
                    targets, value = stmt.targets, stmt.value
                elif isinstance(stmt, ast.AnnAssign):
                    targets, value = [stmt.target], stmt.value
                else:
                    continue
                for target in targets:
                    if isinstance(target, ast.Name):
                        own.add(target.id)
                        if target.id == "__slots__" and value is not None:
                            for const in ast.walk(value):
                                if isinstance(const, ast.Constant) and isinstance(const.value, str):
                                    own.add(const.value)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("self", "cls")
        ):
            own.add(node.attr)
    return own


def attribute_uses(tree: ast.Module) -> Iterator[tuple[ast.Attribute | ast.Call, ast.expr, str]]:
    """Every ``obj.name`` (read, set or deleted), and every ``getattr``/``setattr``/``hasattr``/
    ``delattr(obj, "name")`` and ``vars(obj).get/pop/setdefault("name")`` with a literal name:
    spelling a reach as a string does not make it less of one."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            yield node, node.value, node.attr
            continue
        if not isinstance(node, ast.Call):
            continue
        func, args = node.func, node.args
        if (
            isinstance(func, ast.Name)
            and func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(args) >= 2
            and isinstance(args[1], ast.Constant)
            and isinstance(args[1].value, str)
        ):
            yield node, args[0], args[1].value
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Name)
            and func.value.func.id == "vars"
            and func.value.args
            and args
            and isinstance(args[0], ast.Constant)
            and isinstance(args[0].value, str)
        ):
            yield node, func.value.args[0], args[0].value


def private_attributes() -> Iterator[tuple[tuple[str, str], str]]:
    """Uses of a private attribute the using module does not own: ((module, name), where)."""
    for path, tree in PARSED:
        module = module_name(path)
        if module in H11_PROBE_MODULES:
            continue
        own = owned_names(tree)
        for node, obj, attr in attribute_uses(tree):
            if not _private(attr) or attr in own or attr in PUBLIC_UNDERSCORE:
                continue
            if isinstance(obj, ast.Name) and obj.id in ("self", "cls"):
                continue
            yield (module, attr), f"{module}:{node.lineno} {ast.unparse(node)}"


def test_no_module_touches_another_modules_private_attributes() -> None:
    found = [where for key, where in private_attributes() if key not in ALLOWED_PRIVATE_ATTRIBUTES]
    assert not found, "private attributes of other modules:\n" + "\n".join(found)


def test_every_allowance_is_still_needed() -> None:
    # An entry whose reach is gone must leave its list, so that it cannot hide a new one.
    stale_imports = ALLOWED_PRIVATE_IMPORTS - {key for key, _ in private_imports()}
    stale_attributes = ALLOWED_PRIVATE_ATTRIBUTES - {key for key, _ in private_attributes()}
    assert not stale_imports and not stale_attributes


@pytest.mark.parametrize("path", sources(), ids=lambda p: module_name(p))
def test_no_foreign_http_client_does_our_work(path: Path) -> None:
    module = module_name(path)
    tree = dict(PARSED)[path]
    for imp in imports(path, tree):
        root = imp.target.split(".")[0]
        foreign = root in FOREIGN_CLIENTS or imp.target in FOREIGN_CLIENTS
        assert not foreign or (module, root) in ALLOWED_FOREIGN, (
            f"{module}:{imp.line} imports {imp.target}"
        )


def test_the_protocol_core_does_no_io() -> None:
    core = [imp for imp in ALL_IMPORTS if layer(imp.module) == 1]
    assert core
    for imp in core:
        assert imp.target.split(".")[0] not in IO_MODULES, f"{imp.module}:{imp.line} {imp.target}"
        # Nor does it import the layers that do (transport and above): checked by layer too,
        # but stated here because it is the contract embedders rely on.
        assert layer(imp.target) <= 1 or imp.annotation_only or not is_package_module(imp.target)

"""One catalogue of error codes (common.errors.ErrorCode): the source names every code it uses
as a member of it (one spelling, never a string), everything in it is used, the schema publishes
it, and nothing else can be raised."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput, error_body

# Callees whose `code=` is not ours: Django's form and model validation codes, which the website
# shows and the API's handler turns into `validation_error`.
FOREIGN_CODE_CALLEES = {"ValidationError"}


def _callee_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _positional_code_params(tree: ast.Module) -> dict[str, int]:
    """Functions of the module that take `code` positionally: name -> its position."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = [arg.arg for arg in node.args.posonlyargs + node.args.args]
            if "code" in names:
                found[node.name] = names.index("code")
    return found


def codes_in_source(source: str) -> tuple[set[str], set[str]]:
    """(code strings written in the source, ErrorCode members it names).

    A code string is the value of a `code=` argument, of a positional `code` parameter of a
    function defined in the same module, the default of a `code` parameter, a class's
    `code = ...`, or a dict's "code" key.
    """
    tree = ast.parse(source)
    positional = _positional_code_params(tree)
    strings, members = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if _callee_name(node) in FOREIGN_CODE_CALLEES:
                continue
            values = [kw.value for kw in node.keywords if kw.arg == "code"]
            index = positional.get(_callee_name(node))
            if index is not None and len(node.args) > index:
                values.append(node.args[index])
            strings.update(s for s in map(_string, values) if s is not None)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            ordered = args.posonlyargs + args.args
            defaults = zip(ordered[len(ordered) - len(args.defaults) :], args.defaults, strict=True)
            for arg, default in [*defaults, *zip(args.kwonlyargs, args.kw_defaults, strict=True)]:
                if arg.arg == "code" and _string(default) is not None:
                    strings.add(_string(default))
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                targets = (
                    statement.targets
                    if isinstance(statement, ast.Assign)
                    else ([statement.target] if isinstance(statement, ast.AnnAssign) else [])
                )
                if any(getattr(t, "id", None) == "code" for t in targets) and _string(statement.value):
                    strings.add(_string(statement.value))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if key is not None and _string(key) == "code" and _string(value) is not None:
                    strings.add(_string(value))
        elif isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "ErrorCode":
            if node.attr.isupper():  # a member, not `ErrorCode.values`
                members.add(node.attr)
    return strings, members


def project_modules() -> list[Path]:
    """The apps' and the project's own modules, without tests and migrations."""
    root = Path(settings.BASE_DIR)
    packages = [p.parent for p in root.glob("*/__init__.py") if p.parent.name != "tests"]
    return sorted(
        path
        for package in packages
        for path in package.rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(root).parts)
    )


def test_the_scan_finds_every_way_a_code_is_written():
    source = """
def refuse(request, status, code, message): ...
def require(order, *, code="default_code"): ...
def check(order, code="positional_default_code", message=""): ...
class Refused(DomainError):
    code = "class_code"
raise DomainError("no", code="keyword_code")
refuse(request, 413, "positional_code", "too big")
body = {"message": "no", "code": "dict_code"}
raise forms.ValidationError("not ours", code="form_code")
raise DomainError("no", code=ErrorCode.CONFLICT)
"""
    strings, members = codes_in_source(source)
    assert strings == {
        "class_code",
        "keyword_code",
        "positional_code",
        "dict_code",
        "default_code",
        "positional_default_code",
    }
    assert members == {"CONFLICT"}


def test_every_code_in_the_source_is_a_catalogue_member_and_every_member_is_used():
    modules = project_modules()
    assert Path(settings.BASE_DIR, "orders", "models.py") in modules
    members = set()
    where: dict[str, list[str]] = {}
    for path in modules:
        found, named = codes_in_source(path.read_text())
        members |= named
        for code in found:
            where.setdefault(code, []).append(str(path.relative_to(settings.BASE_DIR)))
    assert not where, f"name the code as ErrorCode.X (add a member to common.errors if none fits): {where}"
    assert members <= set(ErrorCode.names), f"no such ErrorCode member: {members - set(ErrorCode.names)}"
    used = {ErrorCode[name].value for name in members}
    assert set(ErrorCode.values) - used == set(), "drop the catalogue's codes nothing answers any more"


@pytest.mark.django_db
def test_the_schema_publishes_the_catalogue_as_the_error_codes_enum(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    code = schema["components"]["schemas"]["Error"]["properties"]["code"]
    assert code["enum"] == ErrorCode.values
    assert "- `not_cancellable`: The order or return can no longer be cancelled." in code["description"]


def test_a_code_outside_the_catalogue_is_refused():
    with pytest.raises(ValueError):
        DomainError("No.", code="made_up")
    with pytest.raises(ValueError):
        InvalidInput.for_field("name", "No.", code="made_up")
    with pytest.raises(ValueError):
        error_body(message="No.", code="made_up")
    with pytest.raises(ValueError):
        type("MadeUpError", (DomainError,), {"code": "made_up"})


def test_catalogued_codes_travel_as_plain_strings(api):
    error = DomainError("No.", code="not_cancellable")
    assert error.code is ErrorCode.NOT_CANCELLABLE and error.code == "not_cancellable"
    body = error_body(message="No.", code=ErrorCode.NOT_FOUND)
    assert type(body["code"]) is str and body["code"] == "not_found"
    response = api.get(f"/{settings.API_ROOT}/no-such-endpoint")
    assert response.status_code == 404 and response.json()["code"] == "not_found"

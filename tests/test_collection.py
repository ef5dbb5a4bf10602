"""`make test` and CI collect every app's tests: each first-party app in INSTALLED_APPS with a
tests/ folder lies under pytest.ini's `testpaths`, and no `norecursedirs` pattern cuts it off."""

from pathlib import Path

from _pytest.pathlib import fnmatch_ex
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]


def first_party_test_folders() -> dict[str, Path]:
    folders = {}
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / ".venv") and (path / "tests").is_dir():
            folders[app.label] = path / "tests"
    return folders


def collected_by(folder: Path, testpaths, norecursedirs) -> bool:
    for testpath in testpaths:
        start = (ROOT / testpath).resolve()
        if folder.is_relative_to(start):
            # Every folder pytest walks through on the way down must be one it recurses into.
            parts = folder.relative_to(start).parts
            walked = [start.joinpath(*parts[: n + 1]) for n in range(len(parts))]
            if not any(fnmatch_ex(pattern, d) for d in walked for pattern in norecursedirs):
                return True
    return False


def test_every_apps_tests_are_collected(pytestconfig):
    testpaths, norecurse = pytestconfig.getini("testpaths"), pytestconfig.getini("norecursedirs")
    folders = first_party_test_folders()
    assert {"accounts", "orders", "notifications"} <= set(folders)  # the scan finds the apps
    missed = sorted(label for label, folder in folders.items() if not collected_by(folder, testpaths, norecurse))
    assert missed == [], f"add these apps to `testpaths` in pytest.ini: {missed}"


def test_the_check_notices_an_app_left_out(pytestconfig):
    testpaths, norecurse = pytestconfig.getini("testpaths"), pytestconfig.getini("norecursedirs")
    folders = first_party_test_folders()
    without = [p for p in testpaths if p != "notifications"]
    assert not collected_by(folders["notifications"], without, norecurse)
    assert collected_by(folders["orders"], without, norecurse)
    assert not collected_by(folders["orders"], testpaths, [*norecurse, "orders/tests"])

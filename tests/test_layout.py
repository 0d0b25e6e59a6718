"""The tree's promises: dependencies run one way, and the extraction worker stays light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What `pipelines` may use of `newsspiders`: leaf modules that import no Scrapy.
LEAVES = {"newsspiders.items", "newsspiders.urls", "newsspiders.dates"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def imports_under(folder: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(ROOT)): imported_modules(path)
        for path in sorted((ROOT / folder).rglob("*.py"))
    }


def test_pipelines_use_only_the_leaf_modules_of_newsspiders() -> None:
    wrong = {
        name: sorted(m for m in modules if m.startswith("newsspiders") and m not in LEAVES)
        for name, modules in imports_under("pipelines").items()
    }
    assert {name: mods for name, mods in wrong.items() if mods} == {}


def test_storage_imports_nothing_from_newsspiders() -> None:
    wrong = {
        name: sorted(m for m in modules if m.startswith("newsspiders"))
        for name, modules in imports_under("pipelines/storage").items()
    }
    assert {name: mods for name, mods in wrong.items() if mods} == {}


def test_the_leaf_modules_import_no_scrapy() -> None:
    for leaf in LEAVES:
        modules = imported_modules(ROOT / (leaf.replace(".", "/") + ".py"))
        assert not {m for m in modules if m.split(".")[0] in ("scrapy", "twisted")}, leaf


def test_bench_and_tests_do_not_import_each_other() -> None:
    for folder, other in (("bench", "tests"), ("tests", "bench")):
        for name, modules in imports_under(folder).items():
            assert not {m for m in modules if m.split(".")[0] == other}, name


def test_the_extraction_worker_loads_no_scrapy_nor_database_driver() -> None:
    # A fresh interpreter, as a spawned worker is: import the worker and extract a page.
    script = (
        "import json, sys\n"
        "from pipelines.extract.worker import prepare_page\n"
        "from pipelines.extract.options import ExtractOptions\n"
        "from pipelines.language.detection import LanguageSetup\n"
        "page = '<html lang=fr><body><article><h1>Titre</h1>' + '<p>Le conseil municipal"
        " a vote le budget de la ville pour l annee prochaine apres un long debat.</p>' * 8"
        " + '</article></body></html>'\n"
        "options = ExtractOptions(languages=LanguageSetup('lingua', frozenset({'fr', 'en'})),"
        " declared=('fr',))\n"
        "prepared = prepare_page(page, 'https://example.fr/a', options)\n"
        "roots = sorted({name.split('.')[0] for name in sys.modules})\n"
        "print(json.dumps({'language': prepared.language.language, 'modules': roots}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["language"] == "fr"  # the worker really did its job
    loaded = set(report["modules"])
    assert {"trafilatura", "pipelines"} <= loaded
    assert loaded.isdisjoint({"scrapy", "twisted", "pydantic", "psycopg", "psycopg_pool"})

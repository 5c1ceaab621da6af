"""Generate a realistic plugin-server code base for benchmarks (deterministic, no download).

    python benchmarks/corpus.py OUT_DIR [--files 1100] [--seed 0]
    python benchmarks/corpus.py OUT_DIR --monorepo [--modules 10000] [--packages 50] [--seed 0]

Runners, registries, lifecycle enums, routes, services, jobs, utilities and tests, about
150 lines each, in packages like a real server's. Most modules mention plugins (so the
prefilter passes them and the rules really work); a few carry violations: a direct
``plugin.run``, a ``"SUCCESS"`` state, a route without auth, a ``"default"`` tool name.
``--monorepo``: the same kinds of modules as distributions of one repository, importing
shared packages and each other (``monorepo.py``).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

RUNNER = '''\
"""Runner for {name} plugins."""
from app.lifecycle import LifecycleState
from app.registry import update_execution_metrics
from app.validation import build_error_envelope, validate_input_payload, validate_plugin_output


class ToolRunner{n}:
    def __init__(self, registry, timeout={timeout}):
        self.registry = registry
        self.timeout = timeout

    def run(self, tool_name, payload):
        validate_input_payload(payload)
        plugin = self.registry.get_plugin(tool_name)
        started = self.clock()
        try:
            result = validate_plugin_output(plugin.run(payload))
            return result, None
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(tool_name, {state}, self.clock() - started, False)

    def clock(self):
        return {timeout} * 0.001
'''

SERVICE = '''\
"""Service layer for {name}."""
import logging

log = logging.getLogger(__name__)


class {Name}Service:
    def __init__(self, runner, jobs):
        self.runner = runner
        self.jobs = jobs

    def analyze(self, tool_name, payload):
        log.info("analyze %s", tool_name)
        result, error = self.runner.run(tool_name, payload)
        if error is not None:
            return {{"error": error}}
        return {{"result": result}}

    def plugin_names(self):
        return sorted(self.runner.registry.names())
{violation}'''

ROUTES = '''\
"""HTTP routes for {name}."""
from fastapi import APIRouter, Depends, HTTPException

from app.auth import require_auth

router = APIRouter(prefix="/{name}")


@router.post("/analyses")
async def analyze(body: dict, user=Depends(require_auth)):
    if "tool_name" not in body:
        raise HTTPException(status_code=400, detail="tool_name is required")
    return {{"plugin": body["tool_name"]}}


@router.get("/jobs/{{job_id}}", dependencies=[Depends(require_auth)])
async def job(job_id: str):
    raise HTTPException(status_code=404, detail="unknown job")
{violation}'''

REGISTRY = '''\
"""Plugin registry for {name}."""
import enum
import threading


class LifecycleState(enum.Enum):
    LOADED = "LOADED"
    INITIALIZED = "INITIALIZED"
    RUNNING = "RUNNING"
    FAILED = "FAILED"
    UNAVAILABLE = "UNAVAILABLE"


class PluginRegistry:
    def __init__(self):
        self._plugins = {{}}
        self._lock = threading.Lock()

    def register(self, name, plugin):
        with self._lock:
            self._plugins[name] = plugin

    def get_plugin(self, name):
        return self._plugins[name]

    def update_execution_metrics(self, name, state, elapsed_ms, had_error):
        if state not in LifecycleState.__members__:
            raise ValueError(state)
'''

TEST = '''\
"""Tests for {name}."""


def test_{name}_plugin_runs(plugin_factory):
    plugin = plugin_factory("{name}")
    assert plugin.run({{"text": "a b"}}) == {{"count": 2}}


def test_{name}_names(registry):
    assert "{name}" in registry.names()
'''

UTIL = '''\
"""Helpers for {name} payloads."""


def normalise(payload):
    return {{key.lower(): value for key, value in payload.items()}}


def describe(plugin):
    return f"{{plugin.name}} v{{plugin.version}}"
'''

FILLER = '''

def {fname}(values, limit={limit}):
    total = 0
    for index, value in enumerate(values):
        if index > limit:
            break
        if isinstance(value, (int, float)):
            total += value * {factor}
        elif isinstance(value, str) and value.isdigit():
            total += int(value)
    return total
'''

VIOLATIONS = {
    "service": ['''
    def quick(self, name, payload):
        return self.runner.registry.get_plugin(name).run(payload)
''', '''
    def record(self, name):
        update_execution_metrics(name, "SUCCESS", 0, False)
''', '''
    def pick(self, request):
        tool_name = request.get("tool_name", "default")
        return tool_name
'''],
    "routes": ['''

@router.get("/open")
async def open_endpoint():
    return {}
'''],
}

KINDS = ("runner", "service", "service", "routes", "registry", "test", "test", "util", "util")
WORDS = ("ocr", "wordcount", "translate", "summarise", "classify", "detect", "resize", "echo",
         "extract", "convert", "audit", "score", "rank", "index", "parse", "render")


def module(kind: str, n: int, rng: random.Random) -> str:
    name = f"{rng.choice(WORDS)}_{n}"
    fields = {"name": name, "Name": name.title().replace("_", ""), "n": n,
              "timeout": rng.randint(1, 90), "violation": "",
              "state": '"INITIALIZED"' if rng.random() > 0.05 else '"SUCCESS"'}
    if kind in VIOLATIONS and rng.random() < 0.15:
        fields["violation"] = rng.choice(VIOLATIONS[kind])
    template = {"runner": RUNNER, "service": SERVICE, "routes": ROUTES, "registry": REGISTRY,
                "test": TEST, "util": UTIL}[kind]
    text = template.format(**fields)
    for i in range(rng.randint(8, 14)):  # ordinary code: ~150 lines per module in all
        text += FILLER.format(fname=f"{kind}_helper_{i}", limit=rng.randint(5, 500),
                              factor=rng.randint(1, 9))
    return text


def generate(out: Path, files: int = 1100, seed: int = 0) -> list[Path]:
    """Write ``files`` modules under ``out`` (packages of 40); return their paths."""
    rng = random.Random(seed)
    paths = []
    for n in range(files):
        kind = KINDS[n % len(KINDS)]
        folder = out / f"pkg{n // 40:02d}" / ("tests" if kind == "test" else kind + "s")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (f"test_{n}.py" if kind == "test" else f"{kind}_{n}.py")
        path.write_text(module(kind, n, rng), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--monorepo", action="store_true",
                        help="a monorepo: --modules modules in --packages distributions")
    parser.add_argument("--modules", type=int, default=10000)
    parser.add_argument("--packages", type=int, default=50)
    args = parser.parse_args()
    if args.monorepo:
        from monorepo import generate_monorepo

        paths = generate_monorepo(args.out, args.modules, args.packages, args.seed)
    else:
        paths = generate(args.out, args.files, args.seed)
    lines = sum(p.read_text().count("\n") for p in paths)
    print(f"{len(paths)} files, {lines} lines in {args.out}")


if __name__ == "__main__":
    main()

"""The monorepo mode of ``corpus.py``: many distributions in one repository, one flake8
configuration at the root (deterministic, no download).

    python benchmarks/corpus.py OUT --monorepo [--modules 10000] [--packages 50] [--seed 0]

``OUT/setup.cfg`` is the one configuration; ``OUT/packages/<name>/`` is a distribution
each (its ``pyproject.toml``, a ``src/`` layout, ``__init__.py`` in every package). Three
shared distributions come first: ``platform_core`` (the lifecycle enum, the state
constants, the registry and its metrics function, validation, the plugin base types, also
re-exported by its ``__init__``), ``platform_runners`` (the ``ToolRunner`` every runner
derives from) and ``platform_web`` (the auth dependency). The other packages hold the
modules of ``corpus.py``'s kinds (runners, services, routes, registries, tests,
utilities), importing the shared packages and each other's utilities (a service imports
``normalise`` from a utility of an earlier package); a utility declares a plugin class
deriving from ``platform_core``'s ``AppPlugin``. ``platform_core.states`` is imported by
every runner: the widely imported module ``bench_monorepo.py`` edits.
"""

from __future__ import annotations

import random
from pathlib import Path

import corpus
from corpus import FILLER, VIOLATIONS, WORDS, KINDS

CONFIG = "[flake8]\nmax-line-length = 110\nexclude = .git,__pycache__,.execgov_cache\n"
PYPROJECT = '[project]\nname = "{name}"\nversion = "0.1.0"\n\n' \
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'

SHARED = {
    "platform_core": {
        "__init__.py": '"""The platform\'s shared types."""\n'
                       "from .plugins import AppPlugin, BasePlugin\n\n"
                       '__all__ = ["AppPlugin", "BasePlugin"]\n',
        "lifecycle.py": '"""Lifecycle states."""\nimport enum\n\n\n'
                        "class LifecycleState(enum.Enum):\n"
                        + "".join(f'    {s} = "{s}"\n' for s in
                                  ("LOADED", "INITIALIZED", "RUNNING", "FAILED", "UNAVAILABLE")),
        "states.py": '"""The states runners record."""\n\nDEFAULT_STATE = "INITIALIZED"\n'
                     'RETRY_STATE = "RUNNING"\n',
        "registry.py": '"""The plugin registry."""\nimport threading\n\n\n'
                       "def update_execution_metrics(name, state, elapsed_ms=0, had_error=False):\n"
                       "    return name, state, elapsed_ms, had_error\n\n\n"
                       "class PluginRegistry:\n    def __init__(self):\n"
                       "        self._plugins = {}\n        self._lock = threading.Lock()\n\n"
                       "    def register(self, name, plugin):\n        with self._lock:\n"
                       "            self._plugins[name] = plugin\n\n"
                       "    def get_plugin(self, name):\n        return self._plugins[name]\n\n"
                       "    def names(self):\n        return list(self._plugins)\n",
        "validation.py": '"""Validation of payloads."""\n\n\n'
                         "def validate_input_payload(payload):\n    return payload\n\n\n"
                         "def validate_plugin_output(output):\n    return output\n\n\n"
                         "def build_error_envelope(exc):\n    return {'error': str(exc)}\n",
        "plugins.py": '"""Plugin base types."""\n\n\nclass BasePlugin:\n'
                      "    name = 'base'\n    version = '0'\n\n"
                      "    def run(self, payload):\n        raise NotImplementedError\n\n\n"
                      "class AppPlugin(BasePlugin):\n    def describe(self):\n"
                      "        return f'{self.name} v{self.version}'\n",
    },
    "platform_runners": {
        "__init__.py": "",
        "base.py": '"""The governed runner every package derives from."""\n'
                   "from platform_core.registry import update_execution_metrics\n"
                   "from platform_core.states import DEFAULT_STATE\n"
                   "from platform_core.validation import (build_error_envelope, "
                   "validate_input_payload,\n    validate_plugin_output)\n\n\n"
                   "class ToolRunner:\n    def __init__(self, registry):\n"
                   "        self.registry = registry\n\n"
                   "    def run(self, tool_name, payload):\n"
                   "        validate_input_payload(payload)\n"
                   "        plugin = self.registry.get_plugin(tool_name)\n        try:\n"
                   "            return validate_plugin_output(plugin.run(payload)), None\n"
                   "        except Exception as exc:\n"
                   "            return None, build_error_envelope(exc)\n        finally:\n"
                   "            update_execution_metrics(tool_name, DEFAULT_STATE, 0, False)\n",
    },
    "platform_web": {
        "__init__.py": "",
        "auth.py": '"""The auth dependency."""\nfrom typing import Annotated\n\n'
                   "from fastapi import Depends\n\n\n"
                   "def require_auth():\n    return 'user'\n\n\n"
                   "CurrentUser = Annotated[str, Depends(require_auth)]\n",
    },
}

RUNNER = '''\
"""Runner for {name} plugins."""
from platform_core.lifecycle import LifecycleState
from platform_core.registry import update_execution_metrics
from platform_core.states import DEFAULT_STATE
from platform_core.validation import build_error_envelope, validate_input_payload, validate_plugin_output
from platform_runners.base import ToolRunner


class ToolRunner{n}(ToolRunner):
    timeout = {timeout}

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
        return self.timeout * 0.001

    def states(self):
        return [LifecycleState.LOADED]
'''


def _edited(template: str, *edits: tuple[str, str]) -> str:
    """``corpus.py``'s template with these replacements, each of which must apply: the
    monorepo's modules are the corpus's, importing the shared packages instead of ``app``."""
    for old, new in edits:
        assert old in template, old
        template = template.replace(old, new)
    return template


# a service normalises its payload with a utility of an earlier package
SERVICE = _edited(corpus.SERVICE,
                  ("import logging\n", "import logging\n\nfrom {util} import normalise\n"),
                  ("self.runner.run(tool_name, payload)",
                   "self.runner.run(tool_name, normalise(payload))"))
# routes take the shared auth dependency as an annotated alias
ROUTES = _edited(corpus.ROUTES,
                 ("from app.auth import require_auth",
                  "from platform_web.auth import CurrentUser, require_auth"),
                 ("user=Depends(require_auth)", "user: CurrentUser"))

REGISTRY = '''\
"""Plugin registry for {name}."""
from platform_core.lifecycle import LifecycleState
from platform_core.registry import PluginRegistry


class {Name}Registry(PluginRegistry):
    def loaded(self):
        return [name for name in self.names() if LifecycleState.LOADED]
'''

TEST = '''\
"""Tests for {name}."""


def test_{name}_plugin_runs(plugin_factory):
    plugin = plugin_factory("{name}")
    assert plugin.run({{"text": "a b"}}) == {{"count": 2}}
'''

UTIL = '''\
"""Helpers and the plugin of {name}."""
from platform_core import AppPlugin


class {Name}Plugin(AppPlugin):
    name = "{name}"

    def run(self, payload):
        return normalise(payload)


def normalise(payload):
    return {{key.lower(): value for key, value in payload.items()}}
'''

FOLDERS = {"routes": "routes", "test": "tests"}  # else the kind's plural
TEMPLATES = {"runner": RUNNER, "service": SERVICE, "routes": ROUTES, "registry": REGISTRY,
             "test": TEST, "util": UTIL}


def _write(path: Path, text: str, paths: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if path.suffix == ".py":
        paths.append(path)


def _distribution(out: Path, name: str, paths: list[Path]) -> Path:
    """``packages/<name>/`` with its ``pyproject.toml``; the package folder in ``src/``."""
    _write(out / "packages" / name / "pyproject.toml", PYPROJECT.format(name=name), paths)
    return out / "packages" / name / "src" / name


def generate_monorepo(out: Path, modules: int = 10000, packages: int = 50,
                      seed: int = 0) -> list[Path]:
    """Write the monorepo under ``out``: ``modules`` modules of the kinds spread over
    ``packages`` distributions (three of them shared), plus the ``__init__.py`` files;
    returns every Python file written."""
    rng = random.Random(seed)
    paths: list[Path] = []
    _write(out / "setup.cfg", CONFIG, paths)
    for name, files in SHARED.items():
        folder = _distribution(out, name, paths)
        for filename, text in files.items():
            _write(folder / filename, text, paths)
    own = max(1, packages - len(SHARED))
    per = -(-modules // own)
    names = [f"{WORDS[k % len(WORDS)]}_svc{k:02d}" for k in range(own)]
    utils: list[list[str]] = [[] for _ in range(own)]
    for n in range(modules):  # every utility's module name first: services import them
        if KINDS[n % len(KINDS)] == "util":
            utils[n // per].append(f"{names[n // per]}.utils.util_{n}")
    for k, package in enumerate(names):
        folder = _distribution(out, package, paths)
        _write(folder / "__init__.py", f'"""The {package} service."""\n', paths)
        for kind in sorted(set(KINDS)):
            _write(folder / FOLDERS.get(kind, kind + "s") / "__init__.py", "", paths)
        for n in range(k * per, min(modules, (k + 1) * per)):
            kind = KINDS[n % len(KINDS)]
            sources = [u for j in range(k) for u in utils[j]] or utils[k]
            name = f"{rng.choice(WORDS)}_{n}"
            fields = {"name": name, "Name": name.title().replace("_", ""), "n": n,
                      "timeout": rng.randint(1, 90), "violation": "",
                      "util": rng.choice(sources) if sources else "json",
                      "state": "DEFAULT_STATE" if rng.random() > 0.05 else '"SUCCESS"'}
            if kind in VIOLATIONS and rng.random() < 0.15:
                fields["violation"] = rng.choice(VIOLATIONS[kind])
            text = TEMPLATES[kind].format(**fields)
            for i in range(rng.randint(8, 14)):  # ordinary code, as corpus.py's modules
                text += FILLER.format(fname=f"{kind}_helper_{i}", limit=rng.randint(5, 500),
                                      factor=rng.randint(1, 9))
            filename = f"test_{n}.py" if kind == "test" else f"{kind}_{n}.py"
            _write(folder / FOLDERS.get(kind, kind + "s") / filename, text, paths)
    return paths

"""``execgov init`` and ``execgov map``: the host read, its configuration proposed, its
execution map shown (:mod:`discover`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from ..discover.infer import infer
from ..discover.records import Proposal
from ..discover.read import Host, NotAProject, read_host
from ..discover.render import render
from ..discover.sitemap import ExecutionMap, build_map
from ..discover.views import mermaid, page, text
from ..discover.write import write
from ..settings import UsageError


def _read(path: str) -> tuple[Host, Proposal, ExecutionMap]:
    try:
        host = read_host(path, progress=sys.stderr)
    except NotAProject as exc:
        raise UsageError(str(exc)) from None
    for line in host.skipped:
        sys.stderr.write(f"execgov: {line}\n")
    proposal = infer(host.facts())
    values = proposal.values()  # a second reading: the modules naming what the first found
    # (a type turned down too: the evidence that keeps it may be in a module not read yet)
    host.parse_naming([*proposal.types, *proposal.turned_down,
                       *(n for key in _NAMING for n in values.get(key, ()))])
    host.parse_defining(proposal.enums_used)  # the lifecycle enum a runner uses
    proposal = infer(host.facts())
    proposal.skipped = host.skipped
    origins = _origins(proposal)
    emap = build_map(host, proposal.values(), origins, progress=sys.stderr)
    return host, proposal, emap


_NAMING = ("execgov-plugin-names", "execgov-plugin-collections", "execgov-dispatch-names",
           "execgov-runner-classes", "execgov-runner-functions")


def _origins(proposal: Proposal) -> list[tuple[str, str, str]]:
    """Each plugin type, where it is, and where the host gets its instances."""
    loaders = ", ".join(f"{what} at {at}" for what, at in proposal.loaders[:3]) or \
        "no loader seen"
    out = [(name, c.where, f"subclasses in the project; loaded by {loaders}")
           for name, c in proposal.types.items()]
    values = proposal.values()
    if "hook" in values.get("execgov-plugin-names", ()):
        out.append(("pluggy hooks (pm.hook)", "the hook specifications",
                    f"implementations registered with the plugin manager; loaded by {loaders}"))
    if "send" in values.get("execgov-run-methods", ()):
        out.append(("signals", "signal(...) definitions", "receivers connected by plugins"))
    return out


def run_init(args: argparse.Namespace, out: TextIO) -> int:
    host, proposal, emap = _read(args.path)
    has_tests = any(m.test for m in host.modules)  # every module read, parsed or not
    support = [m.path for m in host.modules if m.support]  # tests by what they import
    summary = f"execution map: {emap.summary()} (execgov map {args.path})"
    out.write(render(proposal, args.path, len(host.modules), has_tests, summary, support))
    if args.write:
        if not proposal.machinery:
            sys.stderr.write("execgov init: nothing written: no plugin machinery found\n")
            return 0
        path, added, kept = write(host.root, proposal, has_tests, support)
        for line in kept:
            sys.stderr.write(f"execgov init: {line}\n")
        sys.stderr.write(f"execgov init: {path.name}: {len(added)} option(s) added, "
                         f"{len(kept)} kept as they were\n")
    return 0


def run_map(args: argparse.Namespace, out: TextIO) -> int:
    _host, _proposal, emap = _read(args.path)
    if args.html:
        try:
            Path(args.html).write_text(page(emap, args.path), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{args.html}: cannot write: {exc.strerror}") from None
    out.write(mermaid(emap) if args.format == "mermaid" else text(emap, args.path))
    return 0

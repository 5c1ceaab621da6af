"""The execution map shown three ways: text, Mermaid, one self-contained HTML page.

Mermaid is for pasting into an issue or a Markdown page (GitHub renders it); the HTML page
is for a browser, opened from disk: no script, style sheet or font is fetched, everything
is in the file.
"""

from __future__ import annotations

import html

from .sitemap import ExecutionMap, Site

UNGOVERNED = "UNGOVERNED"


def status(site: Site) -> str:
    return f"governed by {site.governed_by}" if site.governed_by else UNGOVERNED


def text(emap: ExecutionMap, where: str) -> str:
    out = [f"execution map of {where}: {emap.summary()}", "", "plugin types:"]
    out += [f"  {name}  ({at}): {origin}" for name, at, origin in emap.types] or ["  none found"]
    out += ["", "execution sites:"]
    for site in emap.sites:
        out.append(f"  {site.path}:{site.line}:{site.col + 1}  {site.what}  {status(site)}")
        out += [f"      {finding}" for finding in site.findings]
    if not emap.sites:
        out.append("  none found")
    return "\n".join(out) + "\n"


def _label(value: str) -> str:
    """Text inside a Mermaid ``"..."`` label: its quotes and angle brackets as entities."""
    return (value.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;"))


def mermaid(emap: ExecutionMap) -> str:
    """A flowchart: plugin types, runners, and each execution site, linked to the runner
    that governs it or to the "ungoverned" node, styled red."""
    out = ["flowchart LR"]
    out.append('    types["plugin types"]')
    for i, (name, _at, _origin) in enumerate(emap.types):
        out.append(f'    T{i}["{_label(name)}"]')
        out.append(f"    types --- T{i}")
    runners = sorted({s.governed_by for s in emap.sites if s.governed_by})
    ids = {name: f"R{i}" for i, name in enumerate(runners)}
    for name, rid in ids.items():
        out.append(f'    {rid}["runner: {_label(name)}"]')
    if any(not s.governed_by for s in emap.sites):
        out.append('    U["ungoverned"]:::ungoverned')
    for i, site in enumerate(emap.sites):
        label = _label(f"{site.path}:{site.line} {site.what}")
        if site.governed_by:
            out.append(f'    S{i}["{label}"]')
            out.append(f"    {ids[site.governed_by]} --> S{i}")
        else:
            out.append(f'    S{i}["{label}"]:::ungoverned')
            out.append(f"    U --> S{i}")
    out.append("    classDef ungoverned fill:#fde2e2,stroke:#b91c1c,color:#7f1d1d")
    return "\n".join(out) + "\n"


_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1f2937; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
tr.ungoverned td { background: #fde2e2; }
tr.ungoverned .status { color: #b91c1c; font-weight: bold; }
tr.governed .status { color: #166534; }
code { font: 13px ui-monospace, monospace; }
"""


def page(emap: ExecutionMap, where: str) -> str:
    """One HTML page: the summary, the plugin types, a table of the execution sites
    (class ``ungoverned`` or ``governed`` on each row, the status spelled out)."""
    e = html.escape
    rows = []
    for site in emap.sites:
        kind = "governed" if site.governed_by else "ungoverned"
        findings = "<br>".join(e(f) for f in site.findings)
        rows.append(
            f'<tr class="site {kind}" data-path="{e(site.path)}" data-line="{site.line}">'
            f"<td><code>{e(site.path)}:{site.line}:{site.col + 1}</code></td>"
            f"<td><code>{e(site.what)}</code></td>"
            f'<td class="status">{e(status(site))}</td><td>{findings}</td></tr>')
    types = "".join(f"<li><code>{e(name)}</code> ({e(at)}): {e(origin)}</li>"
                    for name, at, origin in emap.types) or "<li>none found</li>"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>execution map: {e(where)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Execution map of <code>{e(where)}</code></h1>"
        f'<p id="summary">{e(emap.summary())}</p>'
        f"<h2>Plugin types</h2><ul id=\"types\">{types}</ul>"
        "<h2>Execution sites</h2><table id=\"sites\"><thead><tr><th>where</th>"
        "<th>execution</th><th>status</th><th>findings</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table></body></html>\n")

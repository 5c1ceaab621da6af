"""The baseline file: JSON, sorted, one entry per fingerprint (small, reviewable diffs),
read and validated, written back.

``{"format": FORMAT, "findings": [{"path", "code", "scope", "source", "count",
"instances"?}, ...]}``: the fields of a :class:`.fingerprint.Fingerprint`, how many
times it is recorded, and the recorded instances' contexts (absent in baselines written
before contexts existed). Anything else is a :class:`BaselineError`, one line for the user.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Mapping, Optional

from ..source.files import encodable, read_source, write_file
from .fingerprint import Fingerprint

FORMAT = "flake8-execgov baseline 1"
Recorded = tuple[Counter[Fingerprint], dict[Fingerprint, list[str]]]


class BaselineError(ValueError):
    """The baseline file is missing, unreadable or not a baseline: one line for the user."""


def read_document(path: Path) -> Recorded:
    """The counts and contexts a baseline file records: anything that is not one (wrong
    types, counts that are no positive integers, strings that cannot be written back as
    UTF-8, JSON nested too deeply for the parser, a FIFO) is one :class:`BaselineError`."""
    try:
        data = json.loads(read_source(str(path)).decode("utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such file (write one with 'execgov baseline')") \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read it ({exc})") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not JSON (line {exc.lineno}: {exc.msg})") from None
    except (RecursionError, MemoryError):
        raise BaselineError(f"{path}: not JSON (nested too deeply)") from None
    except ValueError as exc:  # an integer of more digits than Python converts
        raise BaselineError(f"{path}: not JSON ({str(exc).splitlines()[0]})") from None
    entries = _entries(data)
    if entries is None:
        raise BaselineError(f"{path}: not a flake8-execgov baseline "
                            f"(expected {{\"format\": \"{FORMAT}\", \"findings\": [...]}})")
    return entries


def dump_document(counts: Mapping[Fingerprint, int],
                  contexts: Mapping[Fingerprint, list[str]]) -> str:
    """The file's text for these counts and contexts (sorted; entries of count 0 left out)."""
    entries = []
    for key, count in sorted(counts.items()):
        if count > 0:
            entry: dict[str, object] = {"path": key.path, "code": key.code,
                                        "scope": key.scope, "source": key.source,
                                        "count": count}
            found = contexts.get(key, [])[:count]
            if found:
                entry["instances"] = found
            entries.append(entry)
    return json.dumps({"format": FORMAT, "findings": entries}, indent=2,
                      ensure_ascii=False) + "\n"


def _entries(data: object) -> Optional[Recorded]:
    """The recorded counts and contexts, or None when ``data`` is not a baseline document
    (a field of another type, a count that is no positive integer, a string that cannot
    be written back as UTF-8)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or not isinstance(data.get("findings"), list):
        return None
    counts: Counter[Fingerprint] = Counter()
    contexts: dict[Fingerprint, list[str]] = {}
    for entry in data["findings"]:
        if not isinstance(entry, dict):
            return None
        fields = [entry.get(name) for name in ("path", "code", "scope", "source")]
        count = entry.get("count")
        if not all(isinstance(value, str) and encodable(value) for value in fields) \
                or not isinstance(count, int) or isinstance(count, bool) or count < 1:
            return None
        key = Fingerprint(*fields)  # type: ignore[arg-type]
        try:
            instances = _instances(entry, count)
        except ValueError:
            return None
        counts[key] += count
        contexts.setdefault(key, []).extend(instances)
    return counts, contexts


def _instances(entry: Mapping[str, object], count: int) -> list[str]:
    """An entry's optional ``instances`` (contexts); absent in baselines written before."""
    value = entry.get("instances", [])
    if not isinstance(value, list) or len(value) > count or \
            not all(isinstance(item, str) and encodable(item) for item in value):
        raise ValueError
    return list(value)


def write_baseline(path: Path, text: str) -> None:
    """Write the baseline file: through a symlink to its target (as ``execgov fix``
    writes), atomically; anything but a regular file or a new file in an existing folder
    (a FIFO, a device, a folder, a path under a file) is one :class:`BaselineError`."""
    try:
        write_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write it ({exc.strerror or exc})") from None


def written_path(value: Optional[str]) -> Path:
    return Path(value) if value else Path(".execgov-baseline.json")

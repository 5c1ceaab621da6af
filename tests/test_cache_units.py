"""The cache's parts in-process: the key, reading what others could have planted, the one
test an entry passes, the document of kept findings, and where the cache is.

``tests/test_trust.py`` shows the same end to end, through git and fresh clones; these
are the cases one by one, each with its exact answer."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from flake8_execgov.config.options import DEFAULT_CONFIG, build_config
from flake8_execgov.project.cache import (FOUND, RUNS, SUMMARY, SummaryCache, sealed,
                                          trusted)
from flake8_execgov.project.pack import Pack
from flake8_execgov.project.root import cache_dir, cache_enabled, open_cache
from flake8_execgov.project.seal import (KEY_BYTES, Seal, folder_problem, load_seal,
                                         open_private_for_writing, read_private)

SEAL = Seal(b"k" * KEY_BYTES)
FOUND_ENTRY = {"key": "k", "state": "", "imports": [], "receivers": [], "facts": "",
               "asked": {}, "found": [[1, 0, "GOV001", "GOV001 x", 0, 0, ""]]}


def test_read_private_reads_regular_files_only(tmp_path: Path) -> None:
    regular = tmp_path / "entry.json"
    regular.write_bytes(b"12345")
    assert read_private(regular, 5) == b"12345"
    assert read_private(regular, 4) is None  # over the limit: not read at all
    link = tmp_path / "link.json"
    link.symlink_to(regular)
    assert read_private(link, 100) is None  # a link is not followed
    (tmp_path / "zero").symlink_to("/dev/zero")
    assert read_private(tmp_path / "zero", 100) is None
    assert read_private(tmp_path, 100) is None  # a folder
    assert read_private(tmp_path / "missing", 100) is None
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")
        assert read_private(tmp_path / "fifo", 100) is None  # opened without blocking


def test_a_lock_is_never_a_link_or_a_fifo(tmp_path: Path) -> None:
    fd = open_private_for_writing(tmp_path / "a.lock")
    assert fd is not None
    os.close(fd)
    (tmp_path / "b.lock").symlink_to(tmp_path / "a.lock")
    assert open_private_for_writing(tmp_path / "b.lock") is None
    assert open_private_for_writing(tmp_path) is None
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "c.lock")
        assert open_private_for_writing(tmp_path / "c.lock") is None


def test_what_cannot_hold_a_cache(tmp_path: Path) -> None:
    assert folder_problem(tmp_path) is None
    assert folder_problem(tmp_path / "not yet") is None  # made on first write
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert folder_problem(tmp_path / "file" / "below") is None  # a write will fail: speed
    assert folder_problem(tmp_path / "file") == f"{tmp_path / 'file'} is not a folder"
    (tmp_path / "loop").symlink_to("loop")
    assert folder_problem(tmp_path / "loop") == f"{tmp_path / 'loop'} is a symbolic link"
    assert open_cache(tmp_path / "loop") == (
        None, f"flake8-execgov: running without the cache: {tmp_path / 'loop'} is a "
              "symbolic link")


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    seal, why = load_seal(home)
    assert seal is not None and why == ""
    key = home / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == KEY_BYTES
    again, _ = load_seal(home)
    assert again is not None and again.sign("s", b"t") == seal.sign("s", b"t")
    assert not [p for p in home.iterdir() if p.name != "key"]  # no temporary left
    key.chmod(0o644)
    assert load_seal(home) == (None, f"{key} is readable by others or not yours")
    key.chmod(0o600)
    key.write_bytes(b"short")
    assert load_seal(home) == (None, f"{key} is not a key this tool made")
    key.unlink()
    key.symlink_to(tmp_path / "elsewhere")
    assert load_seal(home) == (None, f"{key} is not a key this tool made")
    linked = tmp_path / "linked-home"
    linked.symlink_to(home)
    assert load_seal(linked) == (None, f"{linked} is a symbolic link")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    assert load_seal(tmp_path / "a-file" / "home") == (
        None, f"no key could be made in {tmp_path / 'a-file' / 'home'}")


def test_an_entry_opens_only_for_its_kind_and_scope() -> None:
    stored = sealed(SEAL, FOUND, "salt\0/p.py", FOUND_ENTRY)
    assert trusted(SEAL, FOUND, "salt\0/p.py", stored) == FOUND_ENTRY
    assert trusted(SEAL, FOUND, "salt\0/q.py", stored) is None  # moved to another module
    assert trusted(SEAL, RUNS, "salt\0/p.py", stored) is None  # read as another kind
    assert trusted(Seal(b"x" * KEY_BYTES), FOUND, "salt\0/p.py", stored) is None
    assert trusted(SEAL, FOUND, "salt\0/p.py", [stored[0], stored[1] + " "]) is None
    for shapeless in (None, [], [1, 2], {"mac": stored[0]}, stored + ["x"]):
        assert trusted(SEAL, FOUND, "salt\0/p.py", shapeless) is None
    wrong = sealed(SEAL, FOUND, "s", {**FOUND_ENTRY, "found": "none"})
    assert trusted(SEAL, FOUND, "s", wrong) is None  # this machine, a wrong shape
    runs = sealed(SEAL, RUNS, "k", {"runs": {"f": "plugin.run()"}})
    assert trusted(SEAL, RUNS, "k", runs) == {"runs": {"f": "plugin.run()"}}
    assert trusted(SEAL, RUNS, "k", sealed(SEAL, RUNS, "k", {"runs": {"f": 1}})) is None
    assert trusted(SEAL, SUMMARY, "k", sealed(SEAL, SUMMARY, "k", {"imports": []})) is None


def test_summary_entries_on_disk(tmp_path: Path) -> None:
    cache = SummaryCache(tmp_path / "cache", SEAL)
    assert cache.get(RUNS, "k") is None
    cache.put(RUNS, "k", {"runs": {}})
    assert cache.get(RUNS, "k") == {"runs": {}}
    assert (tmp_path / "cache" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    (tmp_path / "cache" / "k.json").write_text("{not json", encoding="utf-8")
    assert cache.get(RUNS, "k") is None
    (tmp_path / "cache" / "k.json").write_text(json.dumps({"runs": {}}), encoding="utf-8")
    assert cache.get(RUNS, "k") is None  # the old, unsealed format


def test_the_document_drops_what_this_machine_did_not_write(tmp_path: Path) -> None:
    cache = SummaryCache(tmp_path / "cache", SEAL)
    module = tmp_path / "m.py"
    module.write_text("", encoding="utf-8")
    pack = cache.pack("salt")
    pack.put(str(module), FOUND_ENTRY)
    pack.flush()
    document = json.loads(pack.path.read_bytes())
    assert set(document["entries"]) == {str(module)}
    forged = {str(module): [document["entries"][str(module)][0],
                            json.dumps({**FOUND_ENTRY, "found": []})]}
    pack.path.write_text(json.dumps({"salt": "salt", "entries": forged}), encoding="utf-8")
    reader = cache.pack("other salt")
    assert reader.get(str(module)) is None
    fresh = SummaryCache(tmp_path / "cache", SEAL).pack("salt")
    assert fresh.get(str(module)) is None  # the forged entry does not open
    other = tmp_path / "n.py"
    other.write_text("", encoding="utf-8")
    fresh.put(str(other), FOUND_ENTRY)
    fresh.flush()  # the forged entry is dropped when the document is written again
    assert set(json.loads(fresh.path.read_bytes())["entries"]) == {str(other)}
    for spoilt in (b"{", b"[]", json.dumps({"salt": "salt", "entries": []}).encode()):
        fresh.path.write_bytes(spoilt)
        assert SummaryCache(tmp_path / "cache", SEAL).pack("salt").get(str(other)) is None


def test_a_planted_lock_keeps_nothing(tmp_path: Path) -> None:
    cache = SummaryCache(tmp_path / "cache", SEAL)
    pack = cache.pack("salt")
    assert cache.ready()
    pack.path.with_suffix(".lock").symlink_to(tmp_path / "elsewhere")
    module = tmp_path / "m.py"
    module.write_text("", encoding="utf-8")
    pack.put(str(module), FOUND_ENTRY)
    pack.flush()
    assert not pack.path.exists() and not (tmp_path / "elsewhere").exists()


def test_a_document_that_cannot_be_written_costs_speed_only(tmp_path: Path) -> None:
    pack = Pack(tmp_path / "missing" / "doc.json", "salt", lambda: True,
                lambda path, stored: stored, lambda path, entry: entry)
    pack.put("x", [1])
    pack.flush()  # the folder is not there: no traceback, nothing kept
    assert pack.get("x") == [1]  # what this process learnt, it still knows


def test_where_the_cache_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = build_config({"cache-dir": str(tmp_path / "configured")})
    assert cache_dir(DEFAULT_CONFIG, tmp_path) == tmp_path / ".execgov_cache"
    assert cache_dir(config, tmp_path) == tmp_path / "configured"
    monkeypatch.setenv("EXECGOV_CACHE_DIR", str(tmp_path / "environment"))
    assert cache_dir(config, tmp_path) == tmp_path / "environment"
    for value, enabled in (("1", False), ("yes", False), ("0", True), ("", True),
                           ("false", True)):
        monkeypatch.setenv("EXECGOV_NO_CACHE", value)
        assert cache_enabled(DEFAULT_CONFIG) is enabled

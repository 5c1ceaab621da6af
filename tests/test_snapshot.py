"""The run's snapshot of the project's files (``project.snapshot``): a file is the same
bytes every time the run reads it, or it is left out; and the bytes are not kept (a run's
memory does not grow with the size of the project's texts)."""

from __future__ import annotations

import os
import re
import tracemalloc
from pathlib import Path

from flake8_execgov.config.options import DEFAULT_CONFIG
from flake8_execgov.project.files import ANY
from flake8_execgov.project.index import Project
from flake8_execgov.project.snapshot import Snapshot


def files(folder: Path, texts: dict[str, str]) -> list[Path]:
    made = []
    for name, text in texts.items():
        (folder / name).write_text(text)
        made.append(folder / name)
    return made


def test_a_file_that_changes_after_its_first_read_is_left_out(tmp_path: Path) -> None:
    a, b, c = files(tmp_path, {"a.py": "import helper\n", "b.py": "helper = 1\n",
                               "c.py": "x = 2\n"})
    snapshot = Snapshot([a, b, c])
    assert snapshot.read(str(a)) == b"import helper\n"
    assert snapshot.read(str(b)) == b"helper = 1\n"
    a.write_text("import helpee\n")  # the same length, other bytes
    c.write_text("x = 3  # helper\n")  # not read yet: its first read is what it is
    assert snapshot.read(str(a)) is None
    assert snapshot.read(str(b)) == b"helper = 1\n"
    assert [(path, data) for path, data in snapshot.search(ANY)] == [
        (b, b"helper = 1\n"), (c, b"x = 3  # helper\n")]
    assert snapshot.named(b"helper") == [b, c]
    assert snapshot.naming(b"helper", b"x") == [(b, b"helper = 1\n"), (c, b"x = 3  # helper\n")]
    a.write_text("import helper\n")  # even back as it was: this run has left it out
    assert snapshot.read(str(a)) is None


def test_a_file_that_cannot_be_read_is_left_out(tmp_path: Path) -> None:
    a, b = files(tmp_path, {"a.py": "run()\n", "b.py": "run()\n"})
    snapshot = Snapshot([a, b, tmp_path / "gone.py"])
    b.unlink()
    assert snapshot.named(b"run") == [a]
    assert snapshot.read(str(tmp_path / "gone.py")) is None
    assert snapshot.read(str(tmp_path / "other.py")) is None  # not one of its files


def test_the_index_lists_files_in_the_projects_order(tmp_path: Path) -> None:
    paths = files(tmp_path, {f"m{i}.py": f"name_{i % 3} = name_{(i + 1) % 3}\n"
                             for i in range(7)})
    snapshot = Snapshot(paths)
    assert snapshot.named(b"name_0") == [paths[i] for i in (0, 2, 3, 5, 6)]
    assert snapshot.named(b"name_0", b"name_1") == paths
    assert snapshot.named(b"nothing") == []


def test_the_texts_are_not_kept(tmp_path: Path) -> None:
    """Two megabytes of texts, searched and indexed: what the snapshot keeps is its index
    and a mark per file, not the texts (they were 38 of a 10,000-module monorepo's 137
    MiB)."""
    paths = files(tmp_path, {f"m{i}.py": f"value_{i} = 1\n" + "# padding\n" * 4000
                             for i in range(50)})
    tracemalloc.start()
    try:
        snapshot = Snapshot(paths)
        assert len(list(snapshot.search(re.compile(rb"value_")))) == 50
        assert snapshot.named(b"value_7") == [paths[7]]
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 200_000


def test_a_change_of_metadata_alone_keeps_the_file(tmp_path: Path) -> None:
    """``chmod`` (or a new hard link) moves the change time, not the bytes: the file stays
    (the mark is its length, inode and modification time)."""
    (a,) = files(tmp_path, {"a.py": "helper = 1\n"})
    snapshot = Snapshot([a])
    assert snapshot.named(b"helper") == [a]
    a.chmod(0o600)
    os.link(a, tmp_path / "b.py")
    assert snapshot.read(str(a)) == b"helper = 1\n"
    assert not snapshot.changed


def test_a_left_out_file_is_not_read_again_for_its_summary(tmp_path: Path) -> None:
    """Every question of the run agrees that a changed file is gone: its summary is not
    made from the new bytes while the searches leave it out."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    helper = tmp_path / "app" / "helpers.py"
    helper.write_text("def orphan():\n    pass\n")
    project = Project(tmp_path, DEFAULT_CONFIG, None)
    assert project.named(b"orphan") == [helper]
    helper.write_text("def orphan():\n    return 1\n")
    assert project.bytes_of(helper) is None and project.summary("app.helpers") is None
    assert project.changed()


def test_a_text_not_ascii_is_searched_beside_the_index(tmp_path: Path) -> None:
    """``class Plugin\\b`` finds ``class Pluginé`` (a byte that is not ASCII is no word
    byte to a bytes pattern) where the index holds ``Pluginé``: such texts are searched
    whatever the index says."""
    paths = files(tmp_path, {"a.py": "class Plugin:\n    pass\n",
                             "b.py": "class Plugin\u00e9:\n    pass\n",
                             "c.py": "class Other:\n    pass\n"})
    snapshot = Snapshot(paths)
    pattern = re.compile(rb"^class Plugin\b", re.M)
    before = [path for path, _ in snapshot.search(pattern, (b"Plugin",))]
    snapshot.named(b"Plugin")  # the index is built: the words now pick the files
    assert [path for path, _ in snapshot.search(pattern, (b"Plugin",))] == before == paths[:2]

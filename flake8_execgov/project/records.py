"""The project's small records, named: a definition, an import, what a definition is to
the rules, an ``include_router`` call, the module being linted. (They were bare tuples
read by index; the two that are kept in the cache, :class:`Import` and a summary's
entries, are stored as plain lists of the same fields, so the stored shape is unchanged.)
"""

from __future__ import annotations

import ast
from typing import NamedTuple, Optional


class Def(NamedTuple):
    """A definition of the project: a name in a module."""

    module: str
    name: str  # dotted as written; "" is the module itself


class Import(NamedTuple):
    """What one import statement binds (``from module import name as local``, ``import
    module as local``); kept as a list of these four in the cache's entries."""

    local: str
    module: str
    name: str  # "" for ``import module``
    level: int  # leading dots of a relative import


class Kind(NamedTuple):
    """What a definition of the project is to the rules (``project.facts._kind``)."""

    plugin: bool  # a plugin class (or derives from one)
    runner: bool  # a runner class (or derives from one)
    enum: int  # a lifecycle enum: 2 derived from one, 1 named as one, 0 neither
    constant: Optional[str]  # the string constant it is
    auth_alias: bool  # an annotated alias that carries an auth dependency
    auth_list: bool  # a list of dependencies with an auth one

    def matters(self) -> bool:
        """Does any rule care?"""
        return self.plugin or self.runner or bool(self.enum) or self.constant is not None \
            or self.auth_alias or self.auth_list


class Linted(NamedTuple):
    """The module being linted: its name, its parse, its text."""

    module: str
    tree: ast.AST
    text: str


class Include(NamedTuple):
    """One ``include_router`` call: the router it includes into (None: not in the
    project), the module where it is written, the dependencies it adds."""

    parent: Optional[Def]
    module: str
    deps: list[str]

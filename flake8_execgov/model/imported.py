"""What a module's imports bring from the rest of the project (:mod:`project` computes it).

The walk sees one module; these are the facts about names it imports from other modules
of the project, keyed by the name as this module writes it (``CurrentUser``,
``deps.CurrentUser``). Third-party and standard-library names are never in them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Mapping


def _nowhere(name: str) -> bool:
    return False


@dataclass(frozen=True)
class ProjectFacts:
    """Imported names and what they are, as far as the project shows."""

    plugin_classes: frozenset[str] = frozenset()  # classes deriving from a plugin type
    runner_classes: frozenset[str] = frozenset()  # runner classes and their subclasses
    lifecycle_enums: frozenset[str] = frozenset()  # lifecycle enums (also renamed)
    auth_annotations: frozenset[str] = frozenset()  # Annotated[..., Depends(auth)] aliases
    auth_lists: frozenset[str] = frozenset()  # dependency lists holding an auth dependency
    granted_routers: frozenset[str] = frozenset()  # routers given auth where included
    # name -> (its string value, the module that defines it)
    state_constants: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # name -> the run it reaches: functions of other modules that execute a plugin (also
    # through their own helpers): a use of one is an execution here
    reaching: Mapping[str, str] = field(default_factory=dict)
    # imported functions that call what they are given: name -> "index:name" it calls
    param_callers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # imported functions that return what a plugin execution returned (model.handoffs)
    producers: frozenset[str] = frozenset()
    # imported names that are registries plugins fill (model.registries)
    registries: frozenset[str] = frozenset()
    # the module's own name in the project (``pkg.module``; "" outside one): what a
    # qualified runner (``pkg.module:function``) is matched against
    module: str = ""
    # imported names that are classes of the project (whatever they are to the rules)
    classes: frozenset[str] = frozenset()
    # the hooks the project's plugin types declare (:mod:`model.hooks`): the same for every
    # module of the project
    hooks: frozenset[str] = frozenset()
    # is this module's function (by name) imported by another module of the project? Its
    # uses there are judged there (asked only of helpers that execute a plugin)
    exported: Callable[[str], bool] = _nowhere

    def identity(self) -> str:
        """Every fact but ``exported`` (a question, not a value), as a digest of their
        text: two modules analysed with equal identities and equal answers to ``exported``
        have equal findings (the findings kept on disk are checked against it; the text
        itself was a third of each kept entry, held by a run until it ends)."""
        text = repr((sorted(self.plugin_classes), sorted(self.runner_classes),
                     sorted(self.lifecycle_enums), sorted(self.auth_annotations),
                     sorted(self.auth_lists), sorted(self.granted_routers),
                     sorted(self.state_constants.items()), sorted(self.reaching.items()),
                     sorted(self.hooks), sorted(self.classes), self.module,
                     sorted(self.registries), sorted(self.param_callers.items()),
                     sorted(self.producers)))
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def __bool__(self) -> bool:
        return bool(self.plugin_classes or self.runner_classes or self.lifecycle_enums
                    or self.auth_annotations or self.auth_lists or self.granted_routers
                    or self.state_constants or self.reaching or self.hooks
                    or self.classes or self.registries or self.param_callers
                    or self.producers)


NO_FACTS = ProjectFacts()

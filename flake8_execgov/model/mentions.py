"""A mention is not an execution: where a run method is only looked at.

``plugin.run(x)``, ``await plugin.run(x)``, ``pool.submit(plugin.run, x)``,
``partial(plugin.run)``, ``return plugin.run`` or ``f = plugin.run`` can execute the
plugin: they are run accesses. These only look at it, and are not:

- an argument of an inspection function (``execgov-inspection-functions``: ``callable()``,
  ``inspect.*``, ``repr()``, ``isinstance()`` ... and the project's own);
- an operand of a comparison, also inside a list, tuple, set or dict display, nested
  (``assert handlers == [plugin.on_build]``), and the arguments of unittest's comparison
  assertions (``assertEqual``, ``assertIn``, ...: inspection functions by default);
- a value formatted into text (``f"{hook.function!r}"``, ``"%s" % plugin.run``);
- the object of an attribute read (``plugin.run.__name__``) or of ``getattr``/``hasattr``
  with a constant name (``getattr(loaded.obj, "off_by_default", False)``).

The semantic model marks these nodes before it visits them (a parent is visited first).
"""

from __future__ import annotations

import ast
from ..config.options import Config
from .nodes import str_constant
from .records import StackItem
from .vocabulary import Vocabulary

_DISPLAYS = (ast.List, ast.Tuple, ast.Set)


class MentionContext:
    """Mixed into the semantic model: which expressions are only mentioned."""

    config: Config
    vocab: Vocabulary
    mentions: set[ast.AST]

    def _mention(self, node: ast.AST) -> None:
        """``node`` is only looked at, and so is everything a container display holds
        (lists, tuples, sets, dicts, nested: ``{**a, "k": [hook.on_page]} == a``)."""
        stack = [node]
        while stack:
            item = stack.pop()
            self.mentions.add(item)
            if isinstance(item, _DISPLAYS):
                stack.extend(item.elts)
            elif isinstance(item, ast.Dict):
                stack.extend(key for key in item.keys if key is not None)
                stack.extend(item.values)
            elif isinstance(item, ast.Starred):
                stack.append(item.value)

    def _inspected(self, node: ast.Call) -> None:
        """Arguments of inspection calls; the object of a constant-name getattr/hasattr."""
        func = node.func
        if self.vocab.matches(self.config.inspection_functions, func):
            for arg in node.args:
                self._mention(arg)
        elif isinstance(func, ast.Name) and func.id in ("getattr", "hasattr") \
                and len(node.args) >= 2:
            name = str_constant(node.args[1])
            if name is not None and not self.vocab.is_run_method(name):
                self.mentions.add(node.args[0])

    def _compare(self, node: ast.Compare, stack: list[StackItem]) -> bool:
        for operand in [node.left, *node.comparators]:
            self._mention(operand)
        return True

    def _formatted(self, node: ast.FormattedValue, stack: list[StackItem]) -> bool:
        self._mention(node.value)
        return True

    def _bin_op(self, node: ast.BinOp, stack: list[StackItem]) -> bool:
        if isinstance(node.op, ast.Mod) and str_constant(node.left) is not None:
            right = node.right
            self._mention(right)
            if isinstance(right, ast.Dict):
                for value in right.values:
                    self._mention(value)
        return True

    def _attribute_read(self, node: ast.Attribute) -> None:
        """``plugin.run.__name__`` reads an attribute of the run method."""
        if isinstance(node.value, ast.Attribute):
            self.mentions.add(node.value)

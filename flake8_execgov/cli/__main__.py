"""``python -m flake8_execgov.cli``: the ``execgov`` command."""

from .main import main

raise SystemExit(main())

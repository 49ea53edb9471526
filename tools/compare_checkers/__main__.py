"""`python -m tools.compare_checkers`: see the package docstring."""

from tools.compare_checkers.cli import main

raise SystemExit(main())

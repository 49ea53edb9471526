"""`python -m qiskit_runtime_jobs_kit`: the `qiskit-runtime-jobs` command."""

from .cli import main

raise SystemExit(main())

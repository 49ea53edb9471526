"""`python -m qiskit_runtime_jobs_kit.contract`: the same as `qiskit-runtime-jobs contract`."""

from .cli import main

raise SystemExit(main())

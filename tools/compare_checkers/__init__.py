"""How well three checkers catch wrong-behaviour variants of the mock (`make compare-checkers`).

    python -m tools.compare_checkers                                   # every variant
    python -m tools.compare_checkers --only drifted --json reports/compare.json

For the correct mock (the baseline) and for each variant, each checker runs as a subprocess
against its own fresh mock: our contract run, plain schemathesis and Specmatic. The table goes
to docs/checker-comparison.md. Modules: `variants` (the registry), `target` (a mock per run),
`process` (a checker run as a time-limited subprocess), `ours` / `plain_schemathesis` /
`specmatic` (one checker each), `judge` (caught or missed), `schedule` (the runs, in parallel),
`render` (the page) and `cli`.
"""

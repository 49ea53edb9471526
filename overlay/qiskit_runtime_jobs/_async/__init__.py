"""The async drivers, written by hand: `_sync/` is generated from this folder.

`make generate` (tools/codegen.py) runs unasync over each module here and writes its sync
twin to `_sync/`; `make check-generated` fails when a twin is stale or edited by hand. Only
I/O lives here: every decision is pure code in the package's other modules, shared by both.
"""

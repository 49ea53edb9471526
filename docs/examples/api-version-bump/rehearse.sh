#!/usr/bin/env bash
# Re-run the rehearsed bump (see README.md here) in a scratch clone of the committed tree and
# copy the workflow's own output into this folder. Needs `make setup` done in the checkout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git clone -q "$root" "$scratch/repo"
cd "$scratch/repo"
ln -s "$root/.venv" .venv
mk() { make -s -o .venv/.installed "$@"; }  # the checkout's venv as it is: never reinstalled
git config user.email rehearsal@example.invalid
git config user.name rehearsal
spec=openapi/qiskit-runtime-jobs.yaml
cp "$spec" "$scratch/new.yaml"

# The old side: IBM's 2025-05-01 description, as tests/api_diff/bump_cases.py rebuilds it.
.venv/bin/python -m tests.api_diff.bump_cases > "$scratch/old.yaml"
cp "$scratch/old.yaml" "$spec"
mk generate > /dev/null
git add -A && git commit -qm "API 2025-05-01"

# The bump: what a maintainer types when IBM announces the version (here: our curated spec).
cp "$scratch/new.yaml" "$spec"
mk generate > /dev/null
mk api-guard GUARD_BASE=HEAD > "$here/guard-output.txt" 2>&1
mk api-diff > /dev/null
cp reports/api-diff/summary.md reports/api-diff/spec-report.* reports/api-diff/code-report.* "$here/"
printf '# Changelog\n' > CHANGELOG.md
.venv/bin/python -m tools.api_diff changelog --base HEAD --date 2026-03-15 > /dev/null 2>&1
sed -n '/^<!-- api-version:/,$p' CHANGELOG.md > "$here/changelog-entry.md"

# For contrast: a breaking edit that keeps the version. The guard and the changelog refuse it.
git add -A && git commit -qm "API 2026-03-15"
.venv/bin/python - "$spec" <<'PY'
import sys, yaml
path = sys.argv[1]
spec = yaml.safe_load(open(path))
spec["components"]["schemas"]["JobResponse"]["properties"]["created"] = {"type": "integer"}
open(path, "w").write(yaml.safe_dump(spec, sort_keys=False))
PY
{
  echo '$ make api-guard GUARD_BASE=HEAD'
  mk api-guard GUARD_BASE=HEAD 2>&1 || echo "(make: exit $?, the guard exited 1)"
  echo
  echo '$ make changelog'
  mk changelog 2>&1 || echo "(make: exit $?, the changelog command exited 1)"
} | grep -v '^make: \*\*\*' > "$here/guard-breaking-example.txt"
echo "rehearsal written to $here"

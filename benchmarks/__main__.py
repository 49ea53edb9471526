"""`make bench`: every benchmark, one table, `reports/bench/bench.json` and `bench.md`.

    python -m benchmarks            # full run (about 3 minutes on 2 cores)
    python -m benchmarks --quick    # tiny sizes, seconds: checks that everything runs
    python -m benchmarks --out DIR  # write the reports elsewhere

Every headline figure is a ratio against a baseline measured in the same run; absolute
times appear only as context.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import (
    big_body_bench,
    decode_bench,
    listing_bench,
    mock_load,
    overlay_overhead,
    wait_bench,
)
from benchmarks._common import ROOT

Row = tuple[str, str, str, str, str, str]  # section, figure, size, value, target, verdict
HEADER: Row = ("section", "figure", "size", "ratio", "target", "verdict")
WAIT_RUN_TIMES = ("10", "300", "3600")


def _verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "MISS")


def _overhead_rows(report: dict[str, Any]) -> list[Row]:
    target = report["target_overlay_vs_raw"]
    rows: list[Row] = []
    for mode in ("sync", "async", "in_process"):
        for op, figures in report[mode].items():
            us = figures["us_per_call"]
            context = f"raw {us['raw_httpx']:.0f} us; JSON: {report['overlay_json_parser']}"
            checked = mode != "in_process"  # the target is per call over loopback
            rows.append(
                (
                    "per-call overhead",
                    f"{mode}: overlay / raw httpx",
                    op,
                    f"{figures['overlay_vs_raw']:.2f}x ({context})",
                    f"<= {target}x" if checked else "context",
                    _verdict(figures["overlay_vs_raw"] <= target if checked else None),
                )
            )
            rows.append(
                _context(
                    "per-call overhead",
                    f"{mode}: overlay / generated",
                    op,
                    f"{figures['overlay_vs_generated']:.2f}x",
                )
            )
            if "overlay_vs_peer" in figures:
                rows.append(
                    _context(
                        "per-call overhead",
                        f"{mode}: overlay / peer RuntimeClient",
                        op,
                        f"{figures['overlay_vs_peer']:.2f}x (peer {us['peer']:.0f} us)",
                    )
                )
    return rows


def _context(section: str, figure: str, size: str, value: str) -> Row:
    """A row that reports a figure without a target."""
    return (section, figure, size, value, "context", "-")


def _decode_rows(report: dict[str, Any]) -> list[Row]:
    target = report["target_ratio"]
    rows: list[Row] = []
    for name, size in report["sizes"].items():
        shots, bits = size["shots_x_bits"]
        label = f"{name}: {shots}x{bits} + {size['float64_values']} f64 ({size['body_mb']} MB)"
        overlay = size["ratio_to_floor"]["overlay"]
        rows.append(
            (
                "decode",
                "overlay / floor",
                label,
                f"{overlay:.2f}x (floor {size['ms']['floor']:.1f} ms)",
                f"<= {target}x",
                _verdict(size["meets_target"]),
            )
        )
        bare = "base64 + inflate" if size["schema_version"] == "v2.0" else "base64 only"
        rows.append(
            _context(
                "decode",
                f"overlay / physical floor (bare {bare})",
                label,
                f"{size['overlay_vs_physical_floor']:.2f}x "
                f"({bare} {size['ms']['physical_floor']:.2f} ms)",
            )
        )
        if size["overlay_vs_peer"] is not None:
            rows.append(
                (
                    "decode",
                    "overlay / peer ExecutorResultDecoder",
                    label,
                    f"{size['overlay_vs_peer']:.2f}x",
                    "< 1x",
                    _verdict(size["faster_than_peer"]),
                )
            )
        peaks = size["peak_rss_x_body"]
        if peaks is not None:
            others = ", ".join(f"{k} {v:.2f}x" for k, v in peaks.items() if k != "overlay")
            rows.append(
                _context(
                    "decode",
                    "peak memory / payload",
                    label,
                    f"{peaks['overlay']:.2f}x ({others})",
                )
            )
        rows.append(
            (
                "decode",
                "identical arrays (all decoders)",
                label,
                "yes" if all(size["identical_arrays"].values()) else "no",
                "yes",
                _verdict(all(size["identical_arrays"].values())),
            )
        )
    return rows


def _listing_rows(report: dict[str, Any]) -> list[Row]:
    page = report["page_size"]
    target = report["memory_target_vs_smallest"]
    rows: list[Row] = []
    for n, size in report["sizes"].items():
        label = f"n={n}, page {page}"
        rows.append(
            (
                "listing",
                "requests / ceil(n/limit)",
                label,
                f"{size['requests']}/{size['expected_requests']}",
                "equal",
                _verdict(size["requests"] == size["expected_requests"]),
            )
        )
        rows.append(
            (
                "listing",
                "peak memory / smallest n",
                label,
                f"{size['peak_vs_smallest']:.2f}x ({size['peak_traced_kib']:.0f} KiB)",
                f"<= {target}x",
                _verdict(size["peak_vs_smallest"] <= target),
            )
        )
        rows.append(
            _context(
                "listing",
                "time per job / smallest n",
                label,
                f"{size['us_per_job_vs_smallest']:.2f}x ({size['us_per_job']:.0f} us/job)",
            )
        )
    return rows


def _wait_rows(report: dict[str, Any]) -> list[Row]:
    policies = report["policies"]
    rows: list[Row] = []
    for run_time in WAIT_RUN_TIMES:
        default = policies["default"]["by_run_time_s"][run_time]
        fixed = policies["fixed_1s"]["by_run_time_s"][run_time]
        rows.append(
            (
                "wait",
                "polls / ideal (1), default backoff",
                f"job runs {run_time} s",
                f"{default['polls'] / report['ideal_polls']:.0f}x "
                f"(late {default['late_s']} s; fixed 1 s: {fixed['polls']}x)",
                "context",
                "-",
            )
        )
    return rows


def _load_rows(report: dict[str, Any]) -> list[Row]:
    if report.get("skipped"):
        # A smoke run (--quick) may skip; a real one misses.
        verdict = _verdict(None if report["passed"] else False)
        return [("mock load", "skipped", "-", report["skipped"], "autocannon, Prism", verdict)]
    rows: list[Row] = []
    for name, route in report["routes"].items():
        label = f"{name} {route['path']}, {report['connections']} conn, {report['seconds']} s"
        mock, prism = route["mock"], route["prism"]
        rows.append(
            (
                "mock load",
                "req/s mock / Prism",
                label,
                f"{route['mock_vs_prism_rps']:.2f}x ({mock['requests_per_second']:.0f} vs "
                f"{prism['requests_per_second']:.0f} req/s)",
                f">= {report['target_ratio']:g}x",
                _verdict(route["mock_vs_prism_rps"] >= report["target_ratio"]),
            )
        )
        failed = mock["non_2xx"] + mock["errors"]
        rows.append(
            (
                "mock load",
                "p99 latency, mock (Prism)",
                label,
                f"{mock['p99_ms']} ms ({prism['p99_ms']} ms); {failed} non-2xx/errors",
                f"< {report['target_p99_ms']:g} ms, 0 failed",
                _verdict(mock["p99_ms"] < report["target_p99_ms"] and failed == 0),
            )
        )
        rows.append(
            _context(
                "mock load",
                "server CPU per request, mock (Prism)",
                label,
                f"{mock['server_cpu_us_per_request'] or 0:.0f} us "
                f"({prism['server_cpu_us_per_request'] or 0:.0f} us)",
            )
        )
        rows.append(
            (
                "mock load",
                "load generator CPU, mock run (Prism run)",
                label,
                f"{mock['generator_cpu_share_of_a_core']:.0%} of a core "
                f"({prism['generator_cpu_share_of_a_core']:.0%})",
                "not the limit",
                _verdict(not route["generator_was_busy"]),
            )
        )
    return rows


def _big_body_rows(report: dict[str, Any]) -> list[Row]:
    label = f"POST /jobs of {report['body_mb']} MB ({report['list_elements']} numbers)"
    idle, busy = report["idle"], report["during_create"]
    rss = report["mock_peak_rss_mib"]
    return [
        (
            "big body",
            "other client's worst GET /jobs latency during the create / idle",
            label,
            f"{report['worst_vs_idle_worst']:.1f}x ({busy['worst_ms']:.0f} ms vs "
            f"{idle['worst_ms']:.0f} ms idle; {busy['requests']} requests meanwhile)",
            f"<= {report['target_ratio']:g}x",
            _verdict(report["worst_vs_idle_worst"] <= report["target_ratio"]),
        ),
        _context(
            "big body",
            "the create's own time; mock peak RSS before, after",
            label,
            f"{report['create_seconds']:.1f} s (status {report['create_status']}); "
            f"{rss['before']} -> {rss['after']} MiB",
        ),
    ]


def _sections(quick: bool) -> dict[str, tuple[Callable[[], dict[str, Any]], Callable[..., Any]]]:
    return {
        "overhead": (
            lambda: overlay_overhead.run(overlay_overhead.QUICK if quick else None),
            _overhead_rows,
        ),
        "decode": (lambda: decode_bench.run(quick), _decode_rows),
        "listing": (lambda: listing_bench.run(quick), _listing_rows),
        "wait": (wait_bench.run, _wait_rows),
        "mock_load": (lambda: mock_load.run(quick), _load_rows),
        "big_body": (lambda: big_body_bench.run(quick), _big_body_rows),
    }


def table(rows: list[Row]) -> str:
    """A markdown table (also readable as plain text)."""
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]

    def line(cells: Row) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(HEADER), rule, *(line(row) for row in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "bench")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    report: dict[str, Any] = {
        "quick": args.quick,
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "sections": {},
    }
    rows: list[Row] = []
    for name, (measure, to_rows) in _sections(args.quick).items():
        started = time.perf_counter()
        sys.stderr.write(f"bench: {name} ...\n")
        section = measure()
        section["wall_seconds"] = round(time.perf_counter() - started, 1)
        report["sections"][name] = section
        rows.extend(to_rows(section))
    report["wall_seconds"] = round(time.perf_counter() - began, 1)
    report["rows"] = [dict(zip(HEADER, row, strict=True)) for row in rows]
    misses = [row for row in rows if row[5] == "MISS"]
    report["misses"] = len(misses)

    text = table(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    summary = f"{len(misses)} target(s) missed; total {report['wall_seconds']} s"
    if args.quick:  # fixed costs dominate payloads of kilobytes: only `make bench` judges
        summary += " (--quick: a smoke run at tiny sizes; its verdicts judge nothing)"
    (args.out / "bench.md").write_text(f"# Benchmarks\n\n{text}\n\n{summary}\n")
    sys.stdout.write(f"{text}\n\n{summary}; reports in {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

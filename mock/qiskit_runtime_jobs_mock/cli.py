"""``qiskit-runtime-jobs mock``: run the mock server from the command line.

Every option also reads an environment variable (``QRJ_MOCK_<NAME>``), so CI can configure
the mock without editing commands; repeatable options take a comma-separated list there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import gc
import json
import logging
import os
import sys

from uvicorn.logging import DefaultFormatter

from ._app import LOGGER_NAME
from ._banner import banner
from ._clock import SystemClock
from ._config import DEFAULT_API_KEY, DEFAULT_CRN, DEFAULT_TOKEN, DEFAULT_USER, MockConfig
from ._faults import Fault
from ._server import build_server

ENV_PREFIX = "QRJ_MOCK_"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def _env_list(name: str, default: str) -> list[str]:
    raw = _env(name)
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else [default]


def _credential(text: str) -> tuple[str | None, str]:
    """``[USER:]CREDENTIAL``: a token or API key, and the user it belongs to (None: ``--user``).

    A colon cannot be part of a bearer token (RFC 6750's ``b64token``), so the first one
    separates the user; without one, the whole text is the credential.
    """
    user, colon, credential = text.strip().partition(":")
    if not colon:
        user, credential = "", user
    if (colon and not user) or not credential:
        raise argparse.ArgumentTypeError(f"{text!r} is not [USER:]CREDENTIAL")
    return user or None, credential


def _credentials(
    given: list[tuple[str | None, str]] | None, env: str, default: str, user: str
) -> dict[str, str]:
    """Each credential mapped to its user (``given`` or the environment's, else ``default``)."""
    if given is None:
        raw = _env(env)
        items = [item for item in raw.split(",") if item.strip()] if raw else []
        try:
            given = [_credential(item) for item in items] or [(None, default)]
        except argparse.ArgumentTypeError as exc:
            raise ValueError(f"{ENV_PREFIX}{env}: {exc}") from None
    return {credential: owner or user for owner, credential in given}


def _limit(text: str) -> int | None:
    """``0``/``off``/``none`` disable the limit."""
    if text.strip().lower() in ("0", "off", "none"):
        return None
    return int(text)


def _flag(text: str) -> bool:
    """``on``/``off`` and the usual spellings of true and false."""
    lowered = text.strip().lower()
    if lowered in ("1", "on", "true", "yes"):
        return True
    if lowered in ("0", "off", "false", "no"):
        return False
    raise SystemExit(f"{ENV_PREFIX}ACCESS_LOG must be on or off, got {text!r}")


def _fault(text: str) -> Fault:
    try:
        return Fault.from_mapping(json.loads(text))
    except (ValueError, TypeError) as exc:
        raise argparse.ArgumentTypeError(f"bad --fault {text!r}: {exc}") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the umbrella ``qiskit-runtime-jobs`` command)."""
    p = argparse.ArgumentParser(
        prog="qiskit-runtime-jobs mock",
        description="Run a stateful mock of the IBM Qiskit Runtime Jobs REST API.",
    )
    p.add_argument("--host", default=_env("HOST", "127.0.0.1"), help="bind address [QRJ_MOCK_HOST]")
    p.add_argument(
        "--port",
        type=int,
        default=int(_env("PORT", "8080") or 8080),
        help="port, 0 for a free one (default 8080) [QRJ_MOCK_PORT]",
    )
    p.add_argument(
        "--token",
        action="append",
        type=_credential,
        metavar="[USER:]TOKEN",
        help="accepted bearer token, of user USER (else of --user); repeat it for more tokens "
        "and users, e.g. --token alice:A --token bob:B: each user sees only their own jobs "
        f"(default {DEFAULT_TOKEN}) [QRJ_MOCK_TOKEN, comma-separated]",
    )
    p.add_argument(
        "--crn",
        action="append",
        help="accepted Service-CRN, open to every user; repeatable (default: a mock CRN) "
        "[QRJ_MOCK_CRN]",
    )
    p.add_argument(
        "--api-key",
        action="append",
        type=_credential,
        metavar="[USER:]KEY",
        help="IAM API key accepted by POST /identity/token, of user USER (else of --user); "
        f"repeatable (default {DEFAULT_API_KEY}) [QRJ_MOCK_API_KEY, comma-separated]",
    )
    p.add_argument(
        "--user",
        default=_env("USER_ID", DEFAULT_USER),
        help="user of the tokens and keys given without USER: (default %(default)s) "
        "[QRJ_MOCK_USER_ID]",
    )
    defaults = MockConfig()
    for flag, env, convert, default, text in (
        (
            "--min-api-version",
            "MIN_API_VERSION",
            dt.date.fromisoformat,
            defaults.min_api_version,
            "oldest accepted IBM-API-Version date",
        ),
        (
            "--rate-limit",
            "RATE_LIMIT",
            _limit,
            defaults.rate_limit_per_minute,
            "job creations per user per minute; 0 or 'off' disables",
        ),
        (
            "--usage-limit",
            "USAGE_LIMIT",
            float,
            defaults.usage_limit_seconds,
            "QPU seconds per instance before creation answers 409",
        ),
        (
            "--queued-seconds",
            "QUEUED_SECONDS",
            float,
            defaults.queued_seconds,
            "time a job stays Queued",
        ),
        (
            "--running-seconds",
            "RUNNING_SECONDS",
            float,
            defaults.running_seconds,
            "time a job stays Running",
        ),
        (
            "--time-speed",
            "TIME_SPEED",
            float,
            1.0,
            "job time runs this many times faster than real time",
        ),
        (
            "--result-bytes",
            "RESULT_BYTES",
            int,
            defaults.result_bytes,
            "approximate size of executor results",
        ),
        (
            "--max-body-bytes",
            "MAX_BODY_BYTES",
            int,
            defaults.max_body_bytes,
            "larger request bodies answer 413",
        ),
        (
            "--token-lifetime",
            "TOKEN_LIFETIME",
            float,
            defaults.iam_token_lifetime_seconds,
            "lifetime of IAM-minted tokens in seconds",
        ),
        (
            "--keep-alive",
            "KEEP_ALIVE",
            float,
            defaults.keep_alive_seconds,
            "seconds an idle connection stays open",
        ),
        (
            "--header-timeout",
            "HEADER_TIMEOUT",
            float,
            defaults.header_timeout_seconds,
            "seconds a client has to send a request's headers (then 408)",
        ),
        (
            "--body-timeout",
            "BODY_TIMEOUT",
            float,
            defaults.body_timeout_seconds,
            "seconds a client has to send a request body (then 408)",
        ),
    ):
        raw = _env(env)
        p.add_argument(
            flag,
            type=convert,
            default=default if raw is None else convert(raw),
            help=f"{text} (default {default}) [{ENV_PREFIX}{env}]",
        )
    p.add_argument(
        "--fault",
        action="append",
        type=_fault,
        default=[],
        help='a fault as JSON, e.g. \'{"route": "create_job", "kind": "status", '
        '"status": 503, "when": "after"}\'; repeatable',
    )
    p.add_argument(
        "--log-level",
        default=_env("LOG_LEVEL", "info"),
        choices=["critical", "error", "warning", "info", "debug"],
        help="log level of the server and the request log [QRJ_MOCK_LOG_LEVEL]",
    )
    p.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=_flag(_env("ACCESS_LOG", "on") or "on"),
        help="log one line per request at info: method, path, status, duration, request id "
        "(default on; --no-access-log silences it) [QRJ_MOCK_ACCESS_LOG=on|off]",
    )
    return p


def config_from_args(args: argparse.Namespace) -> MockConfig:
    """Turn parsed options into a :class:`MockConfig`."""
    user = args.user
    crns = args.crn or _env_list("CRN", DEFAULT_CRN)
    return MockConfig(
        tokens=_credentials(args.token, "TOKEN", DEFAULT_TOKEN, user),
        api_keys=_credentials(args.api_key, "API_KEY", DEFAULT_API_KEY, user),
        instances=dict.fromkeys(crns),
        min_api_version=args.min_api_version,
        iam_token_lifetime_seconds=args.token_lifetime,
        rate_limit_per_minute=args.rate_limit,
        usage_limit_seconds=args.usage_limit,
        queued_seconds=args.queued_seconds,
        running_seconds=args.running_seconds,
        result_bytes=args.result_bytes,
        max_body_bytes=args.max_body_bytes,
        faults=tuple(args.fault),
        clock=SystemClock(speed=args.time_speed),
        keep_alive_seconds=args.keep_alive,
        header_timeout_seconds=args.header_timeout,
        body_timeout_seconds=args.body_timeout,
        access_log=args.access_log,
    )


def _configure_logging(level: str) -> None:
    """Print the mock's own log lines (the request log among them) the way uvicorn prints its."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(DefaultFormatter("%(levelprefix)s %(message)s"))
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False


PROG = "qiskit-runtime-jobs mock"
# 128 + SIGINT: what a shell reports for a command stopped by Ctrl-C (the contract command too).
EXIT_INTERRUPTED = 130


def _cannot_listen(host: str, port: int, error: OSError) -> str:
    """One line saying why the server cannot listen, and what to do about a busy port."""
    if error.errno == errno.EADDRINUSE:
        reason = (
            "the address is already in use (is another mock running? --port picks another "
            "port, --port 0 a free one)"
        )
    else:
        reason = error.strerror or str(error)
    return f"{PROG}: cannot listen on {host}:{port}: {reason}\n"


def main(argv: list[str] | None = None) -> int:
    """Run the mock in the foreground until interrupted; returns the exit status.

    Every way it ends is one line, never a traceback: a port it cannot listen on (exit
    status 1), Ctrl-C (130, once the server has stopped).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except ValueError as exc:
        parser.error(str(exc))
    _configure_logging(args.log_level)
    try:
        try:
            server, sock, mock = build_server(config, args.host, args.port, args.log_level)
        except OSError as exc:
            sys.stderr.write(_cannot_listen(args.host, args.port, exc))
            return 1
        try:
            sys.stderr.write(banner(mock))
            sys.stderr.flush()
            # The process runs only the mock: what it has built so far (modules, the app, the
            # spec) lives as long as it does. Out of the collector's sight, a full collection
            # costs ~1 ms instead of ~35 ms, a pause every client would otherwise wait out.
            gc.collect()
            gc.freeze()
            server.run(sockets=[sock])
        finally:
            sock.close()
    except KeyboardInterrupt:
        # uvicorn has stopped (it hands Ctrl-C back once it has): say so, and only that.
        sys.stderr.write(f"{PROG}: stopped (interrupted)\n")
        return EXIT_INTERRUPTED
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

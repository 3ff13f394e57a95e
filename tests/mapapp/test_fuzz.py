"""Fuzz every documented endpoint from /openapi.json: never a 5xx, never a traceback.

Schemathesis generates valid and invalid parameter values from the OpenAPI document and calls
the app in-process (WSGI). The PNG and PDF exports are left out: each call starts a browser
(seconds); their parameters have their own validation tests (test_params_total.py fuzzes every
parameter of them with the browser stubbed).
"""

from __future__ import annotations

import hypothesis
import schemathesis
from buildcache import built, committed_inputs, scratch_dir
from schemathesis import Case
from schemathesis.core.transport import Response

from mapapp import create_app


def _app():  # type: ignore[no-untyped-def]
    # The schema is read at import, before any fixture: the session's shared fixture build.
    out = built(committed_inputs()).dir
    return create_app({"BUILD_DIR": out, "RUN_DIR": scratch_dir("fuzz-run-")})


APP = _app()
schema = schemathesis.openapi.from_wsgi("/openapi.json", APP)


@schemathesis.check
def no_server_fault(ctx, response: Response, case: Case) -> bool | None:  # type: ignore[no-untyped-def]
    # oEmbed's spec answers an unsupported format with 501; every other 5xx is a fault.
    if response.status_code >= 500 and not (case.path == "/oembed" and response.status_code == 501):
        raise AssertionError(f"{response.status_code} for {case.path}")
    return None


@schemathesis.check
def no_traceback(ctx, response: Response, case: Case) -> bool | None:  # type: ignore[no-untyped-def]
    text = response.content[:200_000].decode("utf-8", "replace")
    if "Traceback (most recent call last)" in text or 'File "/' in text:
        raise AssertionError("a traceback reached the user")
    return None


# 10 generated cases per operation, after schemathesis's deterministic coverage phase (about 160
# boundary and invalid cases per operation, which is most of this test's time and is kept
# whole). The 200-per-operation run is a benchmark (docs/benchmarks.md), not part of make test.
@schema.exclude(path_regex=r"^/export/map\.(png|pdf)$").parametrize()
@hypothesis.settings(
    max_examples=10, deadline=None, suppress_health_check=list(hypothesis.HealthCheck)
)
def test_api_never_fails_or_leaks(case: Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[no_server_fault, no_traceback])

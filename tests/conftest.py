"""Test configuration: Hypothesis profiles ``dev`` (quick), ``ci`` (thorough), ``mutmut``.

``ci`` is selected when the ``CI`` environment variable is set (as ``.ci/run``
does); set ``HYPOTHESIS_PROFILE`` to choose explicitly.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from store_support import pg_dsn, postgres_server  # noqa: F401 - the store tests' fixtures

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci",
    max_examples=1000,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# Fixed seed for mutation testing: the same examples for every mutant, so a
# surviving mutant is one the tests miss, not an unlucky draw (CONTRIBUTING.md).
# Fewer examples and stateful steps than `dev`: a surviving mutant runs every
# test that reaches its function, and the property and stateful tests are most
# of that time. No health checks: a mutant is killed by a failed assertion,
# never by a slow or heavily filtered draw on a busy machine.
settings.register_profile(
    "mutmut",
    max_examples=20,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)

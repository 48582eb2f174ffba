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
settings.register_profile(
    "mutmut", max_examples=50, deadline=None, derandomize=True, database=None
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)

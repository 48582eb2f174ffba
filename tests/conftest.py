"""Test configuration: Hypothesis profiles ``dev`` (quick) and ``ci`` (thorough).

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
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)

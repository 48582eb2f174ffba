"""Sphinx configuration for the lowback documentation.

Build the site (offline, warnings as errors, every cross-reference checked)::

    sphinx-build -W -n --keep-going -b html docs docs/_build/html

and run every code example in it as a doctest::

    sphinx-build -W -n --keep-going -b doctest docs docs/_build/doctest

Intersphinx works offline: ``_inv/*.inv`` are small inventories listing only
the Python, attrs and cattrs objects these pages link to, with their real
public URLs. ``_inv/make_inventories.py`` writes them; add an entry there
(and rerun it) when the docs start referring to a new external object.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.ext.napoleon import _process_docstring

import lowback

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE / "_ext"))

project = "lowback"
author = "lowback maintainers"
copyright = "lowback maintainers"
release = lowback.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.doctest",
    "lowback_reference",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "README.md", "_inv", ".venv"]
root_doc = "index"

# Every reference must resolve: a broken link fails the (-W -n) build.
nitpicky = True
# Private helpers (``lowback.engine.triage._Facts``) and type variables
# (``lowback.wire.T``) appear in public signatures but have no
# page of their own; every other reference must resolve.
nitpick_ignore_regex = [
    ("py:class", r"lowback(\.[a-z_]+)+\._[A-Za-z_]+"),
    ("py:class", r"lowback(\.[a-z_]+)+\.T"),
]

# -- MyST ---------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc and napoleon (Google style) --------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# -- intersphinx, from committed inventories (no network at build time) -------
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", "_inv/python.inv"),
    "attrs": ("https://www.attrs.org/en/stable", "_inv/attrs.inv"),
    "cattrs": ("https://catt.rs/en/stable", "_inv/cattrs.inv"),
}
intersphinx_timeout = 1

# -- doctest ------------------------------------------------------------------
# ``EXAMPLES`` is the repository's examples/ folder (the pages' sample data).
doctest_global_setup = f"""
import lowback
from pathlib import Path
EXAMPLES = Path({str(_HERE.parent / "examples")!r})
"""
# The ``>>>`` examples in docstrings run under pytest (--doctest-modules), in
# their module's namespace; here only the pages' own {doctest} blocks run.
doctest_test_doctest_blocks = ""
trim_doctest_flags = True

# -- HTML ---------------------------------------------------------------------
html_theme = "furo"
html_title = f"lowback {release}"
html_static_path: list[str] = []


# -- napoleon only where Google sections can occur ------------------------------
# lowback documents fields, enum members and module data with one-line ``#:``
# comments such as "Stage 1: ease guarding ...". Napoleon reads any
# "words: more words" attribute docstring as "type: description" and then
# fails the nitpicky build on a "type" called "Stage 1". Those comments hold
# no Google sections, so napoleon is applied to functions, classes and
# modules only.
_NO_NAPOLEON = frozenset({"attribute", "data", "property"})


def _napoleon_except_fields(  # noqa: PLR0913, PLR0917 - Sphinx's event signature
    app: Sphinx,
    what: Any,
    name: str,
    obj: Any,
    options: Any,
    lines: list[str],
) -> None:
    if what not in _NO_NAPOLEON:
        _process_docstring(app, what, name, obj, options, lines)


def setup(app: Sphinx) -> None:
    """Swap napoleon's docstring hook for the filtered one above."""
    for listener in list(app.events.listeners["autodoc-process-docstring"]):
        if listener.handler is _process_docstring:
            app.disconnect(listener.id)
    app.connect("autodoc-process-docstring", _napoleon_except_fields)

"""Write the small intersphinx inventories the docs build uses offline.

The build machine has no internet access, so intersphinx cannot download
``objects.inv`` from docs.python.org, attrs.org or catt.rs. Instead, this
script lists just the external objects lowback's docs refer to, each with
its real public URL, and writes them in Sphinx's inventory format (version 2,
zlib-compressed) next to itself. ``docs/conf.py`` points intersphinx at the
files, so links in the built site go to the real documentation.

When the nitpicky build reports a missing external reference, add it to
the table below and run ``python docs/_inv/make_inventories.py``.
"""

from __future__ import annotations

import zlib
from pathlib import Path

_HERE = Path(__file__).resolve().parent

#: Entries are (name, domain:role, path relative to the project's base URL).
_PY_CLASSES = {
    "str": "library/stdtypes.html#str",
    "int": "library/functions.html#int",
    "float": "library/functions.html#float",
    "bool": "library/functions.html#bool",
    "bytes": "library/stdtypes.html#bytes",
    "tuple": "library/stdtypes.html#tuple",
    "list": "library/stdtypes.html#list",
    "dict": "library/stdtypes.html#dict",
    "frozenset": "library/stdtypes.html#frozenset",
    "object": "library/functions.html#object",
    "collections.abc.Mapping": "library/collections.abc.html#collections.abc.Mapping",
    "collections.abc.Iterable": "library/collections.abc.html#collections.abc.Iterable",
    "collections.abc.Iterator": "library/collections.abc.html#collections.abc.Iterator",
    "collections.abc.Sequence": "library/collections.abc.html#collections.abc.Sequence",
    "collections.abc.Callable": "library/collections.abc.html#collections.abc.Callable",
    "enum.Enum": "library/enum.html#enum.Enum",
    "fractions.Fraction": "library/fractions.html#fractions.Fraction",
    "enum.StrEnum": "library/enum.html#enum.StrEnum",
    "types.MappingProxyType": "library/types.html#types.MappingProxyType",
    "datetime.date": "library/datetime.html#datetime.date",
    "pathlib.Path": "library/pathlib.html#pathlib.Path",
    "http.server.HTTPServer": "library/http.server.html#http.server.HTTPServer",
    "http.server.ThreadingHTTPServer": "library/http.server.html#http.server.ThreadingHTTPServer",
    "http.server.BaseHTTPRequestHandler": "library/http.server.html#http.server.BaseHTTPRequestHandler",
    "typing.TextIO": "library/typing.html#typing.TextIO",
    "typing.IO": "library/typing.html#typing.IO",
    "typing.Protocol": "library/typing.html#typing.Protocol",
    "uuid.UUID": "library/uuid.html#uuid.UUID",
}
_PY_EXCEPTIONS = {
    name: f"library/exceptions.html#{name}"
    for name in (
        "Exception",
        "ValueError",
        "TypeError",
        "KeyError",
        "RecursionError",
        "OSError",
        "LookupError",
    )
}
_PY_DATA = {
    "None": "library/constants.html#None",
    "typing.Any": "library/typing.html#typing.Any",
    "typing.ClassVar": "library/typing.html#typing.ClassVar",
    "typing.Literal": "library/typing.html#typing.Literal",
    "typing.Final": "library/typing.html#typing.Final",
    "typing.TypeAlias": "library/typing.html#typing.TypeAlias",
    "sys.stdin": "library/sys.html#sys.stdin",
}
_PY_FUNCTIONS = {
    "json.loads": "library/json.html#json.loads",
    "json.dumps": "library/json.html#json.dumps",
    "json.load": "library/json.html#json.load",
    "json.dump": "library/json.html#json.dump",
}
_PY_MODULES = {
    "json": "library/json.html#module-json",
    "doctest": "library/doctest.html#module-doctest",
    "http.server": "library/http.server.html#module-http.server",
}

INVENTORIES = {
    "python": (
        "Python",
        "3",
        [
            *((n, "py:class", u) for n, u in _PY_CLASSES.items()),
            *((n, "py:exception", u) for n, u in _PY_EXCEPTIONS.items()),
            *((n, "py:data", u) for n, u in _PY_DATA.items()),
            *((n, "py:function", u) for n, u in _PY_FUNCTIONS.items()),
            *((n, "py:module", u) for n, u in _PY_MODULES.items()),
        ],
    ),
    # https://www.attrs.org/en/stable/api.html documents the ``attrs`` namespace.
    "attrs": (
        "attrs",
        "stable",
        [
            ("attrs", "py:module", "api.html#module-attrs"),
            ("attrs.frozen", "py:function", "api.html#attrs.frozen"),
            ("attrs.define", "py:function", "api.html#attrs.define"),
            ("attrs.field", "py:function", "api.html#attrs.field"),
            ("attrs.evolve", "py:function", "api.html#attrs.evolve"),
            ("attrs.asdict", "py:function", "api.html#attrs.asdict"),
            ("attrs.fields", "py:function", "api.html#attrs.fields"),
        ],
    ),
    # https://catt.rs/en/stable/cattrs.html is the ``cattrs`` package's API page.
    "cattrs": (
        "cattrs",
        "stable",
        [
            ("cattrs", "py:module", "cattrs.html#module-cattrs"),
            ("cattrs.Converter", "py:class", "cattrs.html#cattrs.Converter"),
            ("cattrs.BaseConverter", "py:class", "cattrs.html#cattrs.BaseConverter"),
            ("cattrs.structure", "py:function", "cattrs.html#cattrs.structure"),
            ("cattrs.unstructure", "py:function", "cattrs.html#cattrs.unstructure"),
        ],
    ),
}


def inventory(project: str, version: str, entries: list[tuple[str, str, str]]) -> bytes:
    """Return an ``objects.inv`` (format version 2) holding *entries*."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = "".join(f"{name} {role} 1 {uri} -\n" for name, role, uri in sorted(entries))
    return header.encode() + zlib.compress(body.encode(), 9)


def main() -> None:
    """Write every inventory next to this script."""
    for key, (project, version, entries) in INVENTORIES.items():
        (_HERE / f"{key}.inv").write_bytes(inventory(project, version, entries))
        print(f"{key}.inv: {len(entries)} objects")  # noqa: T201 - a maintainer script


if __name__ == "__main__":
    main()

"""``python -m lowback``: the same as the ``lowback`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m continuity MODEL [options]``: the ``continuity`` command
(see :mod:`continuity.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

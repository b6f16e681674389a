"""``python -m inspector_demo [--rounds N] [--port P]``: run the demo until Ctrl-C (or N rounds)."""

from __future__ import annotations

import sys

from inspector_demo.main import main

if __name__ == "__main__":
    sys.exit(main())

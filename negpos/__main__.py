"""``python -m negpos``: the same as the ``negpos`` command."""

import sys

from negpos.cli import main

sys.exit(main())

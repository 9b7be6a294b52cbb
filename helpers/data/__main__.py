"""``python -m helpers.data``: see ``helpers.data.cli``."""

import sys

from .cli import main

sys.exit(main())

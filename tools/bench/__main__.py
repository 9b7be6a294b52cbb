"""``python -m tools.bench``: the benchmark and reference run (see ``tools/bench/run.py``)."""

import sys

from tools.bench.run import main

sys.exit(main())

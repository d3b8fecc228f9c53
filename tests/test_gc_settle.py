"""gc_settle (console/handler.py): what survives the full collections of a worker's first seconds
is frozen after each of them, so no later collection looks at it again; after the warm-up the
collector is left alone. Run in a fresh interpreter: freezing is for the whole process."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import gc, time
from console.handler import gc_settle

gc_settle(warm_seconds=0.5)
at_start = gc.get_freeze_count()
consoles = [[object(), {}] for _ in range(2000)]   # long-lived, as open consoles are
gc.collect()
after_first = gc.get_freeze_count()
more = [[object(), {}] for _ in range(1000)]
gc.collect()
after_second = gc.get_freeze_count()
time.sleep(0.6)
gc.collect()                                       # the first after the warm-up: frozen too
after_warm = gc.get_freeze_count()
late = [[object(), {}] for _ in range(1000)]
gc.collect()                                       # and from then on nothing more is frozen
print(at_start, after_first, after_second, after_warm, gc.get_freeze_count())
"""


def test_what_survives_each_full_collection_of_the_warm_up_is_frozen_and_then_no_more():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    at_start, after_first, after_second, after_warm, at_end = map(int, result.stdout.split())
    assert at_start > 0
    assert after_first >= at_start + 2000  # the 2,000 lists (empty dicts are not tracked)
    assert after_second >= after_first + 1000
    assert after_warm >= after_second
    assert at_end == after_warm

"""The cycle collector's settings while a handout is typeset (handout/collector.py), and back after."""
from __future__ import annotations

import gc
import threading

from deckgen.backends.handout.collector import TYPESETTING_THRESHOLDS, typesetting_collector


def test_thresholds_while_typesetting_and_restored_after():
    before = gc.get_threshold()
    with typesetting_collector():
        assert gc.get_threshold() == TYPESETTING_THRESHOLDS
        assert gc.get_freeze_count() > 0          # objects alive before are out of its walks
        with typesetting_collector():             # a nested block changes nothing
            assert gc.get_threshold() == TYPESETTING_THRESHOLDS
        assert gc.get_threshold() == TYPESETTING_THRESHOLDS
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_parallel_blocks_restore_only_when_the_last_one_ends():
    before = gc.get_threshold()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with typesetting_collector():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=other)
    t.start()
    inside.wait(10)
    with typesetting_collector():
        pass
    assert gc.get_threshold() == TYPESETTING_THRESHOLDS   # the other thread is still typesetting
    release.set()
    t.join()
    assert gc.get_threshold() == before


def test_settings_come_back_after_an_error():
    before = gc.get_threshold()
    try:
        with typesetting_collector():
            raise ValueError("a failed typesetting")
    except ValueError:
        pass
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0

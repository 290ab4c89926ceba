"""While the app's loop runs, Python's cyclic garbage is collected on the UI thread only:
a Qt object left in a reference cycle must not be destroyed on a sync or prefetch worker that
happened to allocate when the collector's threshold was reached."""

from __future__ import annotations

import gc
import threading

from desktop import collector_pause
from desktop.ui_collector import collect_due, collecting_on_ui_thread


class Cyclic:
    """Garbage only the cyclic collector frees; says on which thread it died."""

    def __init__(self, died_on: list[threading.Thread]) -> None:
        self.me = self
        self.died_on = died_on

    def __del__(self) -> None:
        self.died_on.append(threading.current_thread())


def allocate_past_every_threshold(kept: list[object]) -> None:
    """Containers that live on (the collector counts allocations less deallocations)."""
    kept.extend([] for _ in range(50 * gc.get_threshold()[0]))


def test_garbage_left_while_a_worker_allocates_dies_on_the_ui_thread(qtbot) -> None:
    assert gc.isenabled()
    died_on: list[threading.Thread] = []
    with collecting_on_ui_thread():
        assert not gc.isenabled()
        Cyclic(died_on)
        kept: list[object] = []
        worker = threading.Thread(target=allocate_past_every_threshold, args=(kept,))
        worker.start()
        worker.join()
        assert died_on == []  # the worker's allocations collected nothing
        qtbot.waitUntil(lambda: died_on != [], timeout=5_000)
    assert died_on == [threading.main_thread()]
    assert gc.isenabled()  # the automatic collector is back once the loop ends


def test_the_start_pause_holds_and_its_end_hands_over_to_the_ui_thread(qtbot) -> None:
    died_on: list[threading.Thread] = []
    collector_pause.pause()
    try:
        with collecting_on_ui_thread():
            Cyclic(died_on)
            kept: list[object] = []
            allocate_past_every_threshold(kept)
            assert collect_due() == 0 and died_on == []  # still starting: nothing collected
            collector_pause.resume()  # the first paint
            assert not gc.isenabled()  # the timer collects, not whichever thread allocates
            qtbot.waitUntil(lambda: died_on != [], timeout=5_000)
    finally:
        collector_pause.resume()
    assert died_on == [threading.main_thread()]
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off_after_the_loop(qtbot) -> None:
    gc.disable()
    try:
        with collecting_on_ui_thread():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

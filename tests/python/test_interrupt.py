"""Ctrl-C stops every long operation promptly: a simulated year with a
million incidents, the improving search with a huge budget, rank correlations
over ten million occurrences, and reading a model of a million steps or
systems. Each would run for seconds to minutes; the tests press Ctrl-C
(SIGINT, as the terminal sends it) and measure how long the operation takes to
stop. The bound asserted is loose (the machine may be busy); the latencies
measured are printed (pytest -s), and benchmarks/python/interrupt_latency.py
measures them at many moments of each operation (figures in
benchmarks/README.md)."""
from __future__ import annotations

import _thread
import json
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import continuity as ct

# The models of a million steps and systems that the latency benchmark reads.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "python"))
import interrupt_latency  # noqa: E402


def _stop_latency(operation: Callable[[], Any], first_press: float = 0.5) -> float:
    """Runs ``operation``, presses Ctrl-C after ``first_press`` seconds and
    then every 0.3 s until it stops; returns the seconds from the first press
    to the KeyboardInterrupt. Python's own SIGINT handler is installed for the
    test, and no press lands after the operation has stopped."""
    lock = threading.Lock()
    armed = True
    stopped = threading.Event()
    pressed: list[float] = []

    def press() -> None:
        if stopped.wait(first_press):
            return
        while True:
            with lock:
                if not armed:
                    return
                pressed.append(time.monotonic())
                _thread.interrupt_main()
            if stopped.wait(0.3):
                return

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    presser = threading.Thread(target=press)
    presser.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            try:
                operation()
            finally:
                with lock:
                    armed = False
        latency = time.monotonic() - pressed[0]
    finally:
        stopped.set()
        presser.join()
        signal.signal(signal.SIGINT, previous)
    return latency


@pytest.fixture(scope="module")
def hospital_spec(examples: Path) -> dict[str, Any]:
    return dict(json.loads((examples / "hospital.json").read_text(encoding="utf-8")))


def test_ctrl_c_stops_a_year_of_a_million_incidents(hospital_spec: dict[str, Any]) -> None:
    # One simulated year with 10^6 ransomware incidents takes minutes: Ctrl-C
    # must stop it inside the year, not after it.
    spec = json.loads(json.dumps(hospital_spec))
    for scenario in spec["scenarios"]:
        scenario["annual_frequency"] = 1e6 if scenario["kind"] == "ransomware" else 0
    model = ct.Model.from_dict(spec)
    latency = _stop_latency(lambda: ct.simulate(model, 4, 1, threads=1))
    print(f"simulated year: stopped {latency:.3f} s after Ctrl-C")
    assert latency < 5.0


@pytest.mark.parametrize("operation", ["improving search", "rank correlations"])
def test_ctrl_c_stops_a_long_analysis(hospital_spec: dict[str, Any], operation: str) -> None:
    # The improving search with a budget of 10^9 plans, rank correlations
    # over 10^7 occurrences: minutes each without Ctrl-C.
    model = ct.Model.from_dict(hospital_spec)
    scenario = hospital_spec["scenarios"][0]["name"]
    run: Callable[[], Any] = (
        (lambda: model.plan_recovery(scenario, improve=True, budget=10**9))
        if operation == "improving search"
        else (lambda: model.rank_correlations(scenario, 10**7, seed=1, threads=1)))
    latency = _stop_latency(run)
    print(f"{operation}: stopped {latency:.3f} s after Ctrl-C")
    assert latency < 5.0


@pytest.mark.parametrize("source", ["procedure as JSON text", "inventory as a dict"])
def test_ctrl_c_stops_reading_a_model_of_a_million_steps_or_systems(source: str) -> None:
    # Reading either takes seconds (parsing, reading, validating, compiling).
    run: Callable[[], Any]
    if source == "procedure as JSON text":
        text = json.dumps(interrupt_latency.long_procedure(10**6))
        run = lambda: ct.Model.from_json_text(text)  # noqa: E731
    else:
        spec = interrupt_latency.large_inventory(10**6)
        run = lambda: ct.Model.from_dict(spec)  # noqa: E731
    latency = _stop_latency(run)
    print(f"reading a model ({source}): stopped {latency:.3f} s after Ctrl-C")
    assert latency < 5.0


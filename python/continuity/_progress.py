"""Progress bars for long runs (tqdm: a widget in Jupyter, a bar in a terminal)."""

from __future__ import annotations

from typing import Any, Callable, Optional


class ProgressBar:
    """Turns the engine's (done, requested) reports into a tqdm bar over
    ``total`` trials spread over one or more runs."""

    def __init__(self, total: int, description: str, enabled: bool) -> None:
        self._bar: Optional[Any] = None
        if enabled:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, desc=description, unit="trial", unit_scale=True)
        self._offset = 0
        self._last = 0
        self._requested = 0

    def callback(self) -> Optional[Callable[[int, int], None]]:
        """The callback to hand to the engine, or None without a bar."""
        if self._bar is None:
            return None
        return self._report

    def _report(self, done: int, requested: int) -> None:
        if done < self._last:  # a new run started (mitigation comparisons run several)
            self._offset += self._requested
        self._last = done
        self._requested = requested
        assert self._bar is not None
        self._bar.n = self._offset + done
        self._bar.refresh()

    def finish(self) -> None:
        """Marks every trial done (the last blocks may finish on other threads)."""
        if self._bar is not None:
            self._bar.n = self._bar.total
            self._bar.refresh()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()

"""When will an agency reach its target at the current pace? A least-squares line through
the recent daily rates, extended to the target rate."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

WINDOW_DAYS = 90  # the pace is that of the last three months
MIN_POINTS = 2


@dataclass(frozen=True)
class Forecast:
    reached: bool                   # the rate already meets the target
    reach_on: datetime.date | None  # when the line meets the target (None: never, at this pace)
    pace_per_30_days: float | None  # percentage points gained per 30 days
    on_time: bool | None            # reached, or reach_on on or before the deadline

    @property
    def known(self) -> bool:
        return self.pace_per_30_days is not None


def forecast(*, points: list[tuple[datetime.date, float]], target: float,
             deadline: datetime.date) -> Forecast:
    """``points`` are (day, rate in percent), any order; ``target`` in percent. Fewer than
    two days in the window, or a pace of zero or less, give no date."""
    points = sorted(points)
    if not points:
        return Forecast(reached=False, reach_on=None, pace_per_30_days=None, on_time=None)
    last_day, last_rate = points[-1]
    if last_rate >= target:
        return Forecast(reached=True, reach_on=last_day, pace_per_30_days=None, on_time=True)
    recent = [(day, rate) for day, rate in points
              if (last_day - day).days <= WINDOW_DAYS]
    if len(recent) < MIN_POINTS:
        return Forecast(reached=False, reach_on=None, pace_per_30_days=None, on_time=None)
    xs = [(day - last_day).days for day, _ in recent]
    ys = [rate for _, rate in recent]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return Forecast(reached=False, reach_on=None, pace_per_30_days=None, on_time=None)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    if slope <= 0:
        return Forecast(reached=False, reach_on=None, pace_per_30_days=round(slope * 30, 2),
                        on_time=False)
    intercept = mean_y - slope * mean_x  # the line's rate on last_day
    days = math.ceil((target - intercept) / slope)
    reach_on = last_day + datetime.timedelta(days=max(days, 0))
    return Forecast(reached=False, reach_on=reach_on, pace_per_30_days=round(slope * 30, 2),
                    on_time=reach_on <= deadline)

"""The forecast of the day a target is reached, on constructed histories."""

import datetime

from lms.reports.forecast import forecast

DAY = datetime.date(2026, 11, 23)
DEADLINE = datetime.date(2027, 12, 31)


def _history(rates: list[float], *, step: int = 7) -> list[tuple[datetime.date, float]]:
    last = len(rates) - 1
    return [(DAY - datetime.timedelta(days=step * (last - i)), rate)
            for i, rate in enumerate(rates)]


def test_steady_pace_reaches_the_target_on_the_extended_line():
    # +1 point a week for 12 weeks, now at 50 %: 50 more points take 350 days
    result = forecast(points=_history([39 + i for i in range(12)]), target=100,
                      deadline=DEADLINE)
    assert result.reach_on == DAY + datetime.timedelta(days=350)
    assert result.pace_per_30_days == round(30 / 7, 2)
    assert result.on_time is True


def test_too_slow_is_late():
    result = forecast(points=_history([10 + 0.1 * i for i in range(12)]), target=100,
                      deadline=DEADLINE)
    assert result.reach_on > DEADLINE
    assert result.on_time is False


def test_flat_or_falling_gives_no_date():
    flat = forecast(points=_history([40.0] * 6), target=100, deadline=DEADLINE)
    assert (flat.reach_on, flat.on_time, flat.pace_per_30_days) == (None, False, 0.0)
    falling = forecast(points=_history([50, 48, 46]), target=100, deadline=DEADLINE)
    assert falling.reach_on is None and falling.pace_per_30_days < 0


def test_reached_already_and_too_little_history():
    done = forecast(points=_history([90, 100]), target=100, deadline=DEADLINE)
    assert done.reached and done.on_time and done.reach_on == DAY
    assert forecast(points=[], target=50, deadline=DEADLINE).known is False
    single = forecast(points=[(DAY, 20.0)], target=50, deadline=DEADLINE)
    assert (single.reach_on, single.on_time) == (None, None)


def test_only_the_last_ninety_days_set_the_pace():
    # fast a year ago, slow in the last three months: the slow pace counts
    old = [(DAY - datetime.timedelta(days=400 - 7 * i), 2.0 * i) for i in range(10)]
    recent = _history([30 + 0.5 * i for i in range(13)])
    result = forecast(points=old + recent, target=100, deadline=DEADLINE)
    assert result.pace_per_30_days == round(0.5 * 30 / 7, 2)

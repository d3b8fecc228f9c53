"""Percentiles of the benchmarks' latency samples, in milliseconds."""

import math
import statistics


def quantiles(samples_ms: list[float]) -> dict:
    if len(samples_ms) < 2:
        value = samples_ms[0] if samples_ms else float("nan")
        return {"p50": value, "p95": value, "p99": value, "max": value}
    q = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50": q[49], "p95": q[94], "p99": q[98], "max": max(samples_ms)}


def rank(samples: list[float], p: float) -> float:
    """Nearest-rank percentile; works with inf (a delivery that never came)."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

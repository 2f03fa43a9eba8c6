#!/usr/bin/python3
"""statsmodels' side of bench/forecast.ts: the same series, the same models, timed the same way.

Reads {"runs", "seconds", "cases": [{"name", "kind", "y" | "columns", "order", "seasonalOrder", "split"}]}
as JSON on stdin; writes [{"name", "unit", "samples"}] as JSON on stdout. Each sample is a rate over
one run of at least `seconds` seconds, after one warm-up call, as bench/forecast.ts measures ours.
"""
import json
import sys
import time
import warnings

import numpy as np
import statsmodels
from statsmodels.tsa.api import VAR
from statsmodels.tsa.arima.model import ARIMA

warnings.simplefilter("ignore")


def rate(step, per, runs, seconds):
    step()
    samples = []
    for _ in range(runs):
        n = 0
        t0 = time.perf_counter()
        while True:
            step()
            n += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= seconds:
                break
        samples.append(n * per / elapsed)
    return samples


def main():
    spec = json.load(sys.stdin)
    runs, seconds = spec["runs"], spec["seconds"]
    out = []
    for case in spec["cases"]:
        if case["kind"] == "arima-fit":
            y = np.asarray(case["y"])
            order, seasonal = tuple(case["order"]), tuple(case["seasonalOrder"])
            trend = "c" if order[1] == 0 and seasonal[1] == 0 else "n"
            fit = lambda: ARIMA(y, order=order, seasonal_order=seasonal, trend=trend).fit()
            out.append({"name": case["name"], "unit": "fits/s", "samples": rate(fit, 1, runs, seconds)})
        elif case["kind"] == "arima-forecast":
            y = np.asarray(case["y"])
            split = case["split"]
            order, seasonal = tuple(case["order"]), tuple(case["seasonalOrder"])
            trend = "c" if order[1] == 0 and seasonal[1] == 0 else "n"
            res = ARIMA(y[:split], order=order, seasonal_order=seasonal, trend=trend).fit()
            # One-step predictions of new data with the fitted coefficients, no refit.
            step = lambda: res.apply(y).predict(start=split, end=len(y) - 1)
            out.append({"name": case["name"], "unit": "points/s", "samples": rate(step, len(y) - split, runs, seconds)})
        elif case["kind"] == "var-fit":
            Y = np.asarray(case["columns"]).T
            fit = lambda: VAR(Y).fit(case["order"][0], trend="c")
            out.append({"name": case["name"], "unit": "fits/s", "samples": rate(fit, 1, runs, seconds)})
    json.dump({"statsmodels": statsmodels.__version__, "results": out}, sys.stdout)


main()

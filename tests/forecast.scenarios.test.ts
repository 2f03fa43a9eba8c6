/**
 * The forecasting detectors on the simulator's degraded scenarios (seed 004's experiment): a day of
 * nominal traffic to train on, then the fault at 10:00 of the second day (the simulator's default hour
 * for the CPU stress). The detectors must raise an episode at the fault's onset on the series the fault
 * acts on, and not at that moment in the nominal run with the same seed (scenarios are paired: they
 * differ only where the fault acts).
 */
import { forecastSeries, type FeatureForecast, type ForecastRunOptions } from '../src/core/forecast';
import { simulate, type Scenario } from '../src/sim';

const BONO_CPU = 'container_cpu_usage_seconds_total{container="bono",namespace="vims",pod="bono-0"}';
const SUCCESSFUL_CALLS = 'sipp_successful_calls';
const FAULT_START_HOURS = 34;

// Train on the first day (2,880 steps of 30 s); a 30-minute window for real time, 2 hours to confirm.
const DAY_TRAINED: ForecastRunOptions = { train: 2880, windows: [60, 240] };

function detect(
  scenario: Scenario,
  feature: string,
  options: ForecastRunOptions = DAY_TRAINED
): { forecast: FeatureForecast; faultStart: number } {
  const sim = simulate({ scenario, hours: 38, seed: 1, faultStartHours: FAULT_START_HOURS, faultHours: 1 });
  const j = sim.matrix.features.indexOf(feature);
  expect(j).toBeGreaterThanOrEqual(0);
  // The pipeline of the shells: a counter (by its name) is forecast as per-step increments.
  const result = forecastSeries(
    { timestamps: sim.matrix.timestamps, features: [feature], columns: [sim.matrix.columns[j]] },
    options
  );
  // The first sample is one step after the start; the fault acts from FAULT_START_HOURS after the start.
  const faultStart = sim.matrix.timestamps[0] - 30 + FAULT_START_HOURS * 3600;
  return { forecast: result.features[0], faultStart };
}

/** Episodes (combined over the windows) starting within the first minute (two samples) of the fault. */
const atOnset = (f: FeatureForecast, faultStart: number) =>
  f.combined.episodes.filter((e) => e.start > faultStart && e.start <= faultStart + 60);

describe('forecasting detectors on the simulated vIMS', () => {
  it('flag the CPU stress on the P-CSCF (bono) CPU seconds at its onset', () => {
    const { forecast, faultStart } = detect('cpu-stress', BONO_CPU);
    expect(atOnset(forecast, faultStart)).toHaveLength(1);
    const nominal = detect('nominal', BONO_CPU);
    expect(atOnset(nominal.forecast, nominal.faultStart)).toHaveLength(0);
  }, 120_000);

  it('flag the packet loss on the successful calls at its onset', () => {
    const { forecast, faultStart } = detect('packet-loss', SUCCESSFUL_CALLS);
    expect(atOnset(forecast, faultStart)).toHaveLength(1);
    const nominal = detect('nominal', SUCCESSFUL_CALLS);
    expect(atOnset(nominal.forecast, nominal.faultStart)).toHaveLength(0);
  }, 120_000);

  it('flag both faults at their onset with the defaults too (windows and training size from the length alone)', () => {
    for (const [scenario, feature] of [
      ['cpu-stress', BONO_CPU],
      ['packet-loss', SUCCESSFUL_CALLS],
    ] as const) {
      const { forecast, faultStart } = detect(scenario, feature, {});
      expect(forecast.windows.map((w) => w.window)).toEqual([60, 360]);
      expect(atOnset(forecast, faultStart)).toHaveLength(1);
    }
  }, 120_000);
});

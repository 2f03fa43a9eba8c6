/**
 * Accuracy of predictions over a held-back stretch (seed 004: MSE, RMSE, MAPE), the model-selection
 * criteria. Points where the value or the prediction is missing are not scored.
 */
import type { ForecastScores, SelectionMetric } from './types';

export function forecastScores(actual: ArrayLike<number>, predicted: ArrayLike<number>): ForecastScores {
  let squares = 0;
  let points = 0;
  let percentages = 0;
  let mapePoints = 0;
  let mapeExcluded = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const p = predicted[i];
    if (!Number.isFinite(a) || !Number.isFinite(p)) {
      continue;
    }
    squares += (a - p) ** 2;
    points++;
    // MAPE divides by the actual value: a zero (an idle counter's increment) has no percentage error.
    if (a === 0) {
      mapeExcluded++;
    } else {
      percentages += Math.abs((a - p) / a);
      mapePoints++;
    }
  }
  const mse = points > 0 ? squares / points : NaN;
  return {
    mse,
    rmse: Math.sqrt(mse),
    mape: mapePoints > 0 ? (100 * percentages) / mapePoints : NaN,
    points,
    mapeExcluded,
  };
}

/** The value a metric selects on (lower is better; NaN when undefined). */
export function scoreOf(scores: ForecastScores, metric: SelectionMetric): number {
  return scores[metric];
}

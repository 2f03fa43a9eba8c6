/**
 * Forecasting detectors (seed 004): ARIMA, SARIMA and VARMA over sliding windows, fixed and dynamic
 * thresholds on prediction errors, model selection by MSE / RMSE / MAPE, anomalies as episodes.
 * Pure: no Node APIs, no global state. See README.md in this folder for the method and its choices.
 */
export * from './types';
export { checkForecastOptions, forecastDetect, forecastFeatures, MIN_HELD_BACK, MIN_WINDOW } from './detect';
export type { DetectOptions, SeriesInput, SeriesSet } from './detect';
export { defaultTrain, defaultWindows, episodeStates, forecastSeries, latestForecast } from './pipeline';
export type { ForecastRunOptions, LatestForecast } from './pipeline';
export { arimaOneStep, describeOrder, fitArima, minimumLength, selectArimaOrder } from './arima';
export type { ArimaFitOptions, ArimaSearch, OrderCandidate } from './arima';
export { fitVarma, varmaOneStep } from './varma';
export type { VarmaFitOptions } from './varma';
export { chooseDifferencing, chooseSeasonalDifferencing, detectSeason, kpss, seasonalStrength } from './unitroot';
export type { KpssResult } from './unitroot';
export { forecastScores } from './metrics';
export { combineEpisodes, findEpisodes } from './episodes';
export { regularize } from './series';
export type { RegularSeries } from './series';

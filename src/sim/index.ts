/** The seeded vIMS simulator: a source of raw Prometheus series for the demo, the tests and a live exporter. */
export {
  createSimulator,
  DEFAULT_START,
  KPI_SERIES,
  SCENARIOS,
  simulate,
  type Scenario,
  type SimulateOptions,
  type Simulation,
  type Simulator,
  type SimulatorOptions,
  type SimulatorStep,
} from './simulator';
export { METRIC_HELP, openMetricsChunks, toOpenMetrics, toPrometheusText, type TextFormatOptions } from './openmetrics';

// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// d3 and internmap ship only ES modules: transform them like Grafana's own ESM dependencies.
const shared = {
  ...base,
  transform: { ...base.transform, '^.+\\.mjs$': '@swc/jest' },
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, 'd3-.*', 'internmap'])],
};

module.exports = {
  // tfjs and wasm work on 2 shared cores: jest's 5 s default is a timing assertion, not a correctness one.
  testTimeout: 120_000,
  projects: [
    {
      // Pure core, Node shells, simulator, Prometheus client and the cross-process tests in tests/.
      ...shared,
      displayName: 'node',
      testEnvironment: 'node',
      setupFilesAfterEnv: [],
      testMatch: [
        '<rootDir>/src/{core,node,sim,prom,report}/**/*.test.ts',
        '<rootDir>/tests/**/*.test.ts',
      ],
    },
    {
      // React components of the app, the data source and the panel, with Grafana's runtime mocked at its boundary.
      ...shared,
      displayName: 'ui',
      testMatch: ['<rootDir>/src/*.test.{ts,tsx}', '<rootDir>/src/{datasource,panel,components,pages}/**/*.test.{ts,tsx}'],
    },
  ],
};

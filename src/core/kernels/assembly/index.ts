// @ts-nocheck: AssemblyScript entry (compiled by asc), not TypeScript for tsc.
export * from './forward';
export * from './backward';

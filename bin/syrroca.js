#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, a maintained runner: no separate build step for the command line.
require('tsx/cjs');
require('../src/node/cli.ts').main(process.argv);

// Prints jest's totals as one plain line ("N passed, N failed, N skipped") for CI logs.
const { readFileSync } = require('fs');
const r = JSON.parse(readFileSync(`${__dirname}/output/jest-results.json`, 'utf8'));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);

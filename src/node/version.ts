import { readFileSync } from 'fs';
import { join } from 'path';

/** The package version, read once from package.json (the CLI runs from the package root or its bin/). */
export const version: string = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version;

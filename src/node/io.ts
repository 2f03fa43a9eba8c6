import { promises as fs } from 'fs';

import { parseWideCsv } from '../core/csv';
import { SyrrocaError } from '../core/errors';
import { parseCatalog, DEFAULT_CATALOG, SINGLE_CATALOG } from '../core/groups';
import type { FeatureMatrix, GroupCatalog } from '../core/types';
import { isNodeError } from './artifacts';

export async function readText(path: string, what: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (err) {
    const reason = isNodeError(err) && err.code === 'ENOENT' ? 'no such file' : String((err as Error).message);
    throw new SyrrocaError('file-unreadable', `${path}: cannot read the ${what} (${reason})`);
  }
}

export async function readWideCsv(path: string): Promise<FeatureMatrix> {
  return parseWideCsv(await readText(path, 'CSV'), { source: path });
}

/** `auto` (cAdvisor / node-exporter catalog), `single` (one group), or a JSON file of group -> regexes. */
export async function readCatalog(spec: string): Promise<GroupCatalog> {
  if (spec === 'auto') {
    return DEFAULT_CATALOG;
  }
  if (spec === 'single') {
    return SINGLE_CATALOG;
  }
  const text = await readText(spec, 'group catalog');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SyrrocaError('catalog-json', `${spec}: not valid JSON (${(err as Error).message})`);
  }
  return parseCatalog(json, spec);
}

import type { Scenario } from '../model/index.js';
import type { PlanRecord } from './plan-records.js';

/** Version of the `plan -o json` document (and of `-o ndjson` records). */
export const PLAN_SCHEMA_VERSION = 1;

/** Characters gathered before a chunk is handed to the writer: big enough to amortise writes, small enough to stream. */
const CHUNK = 1 << 16;

/**
 * The text of `netseg plan -o json` (one indented document, byte for byte what JSON.stringify of
 * the whole document with two-space indent gives) or `-o ndjson` (one compact record per line), in
 * chunks made as the records are consumed: memory stays flat however many records there are.
 */
export function* planDocument(scenario: Pick<Scenario, 'name' | 'file'>, records: Iterable<PlanRecord>, format: 'json' | 'ndjson'): IterableIterator<string> {
  let chunk = '';
  if (format === 'ndjson') {
    for (const record of records) {
      chunk += `${JSON.stringify(record)}\n`;
      if (chunk.length >= CHUNK) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
    return;
  }
  chunk = `{\n  "schemaVersion": ${PLAN_SCHEMA_VERSION},\n  "scenario": ${JSON.stringify(scenario.name)},\n  "file": ${JSON.stringify(scenario.file)},\n  "records": [`;
  let first = true;
  for (const record of records) {
    // JSON strings never hold a raw newline, so indenting every line nests the record as JSON.stringify would.
    chunk += `${first ? '' : ','}\n    ${JSON.stringify(record, null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}${first ? ']' : '\n  ]'}\n}\n`;
}

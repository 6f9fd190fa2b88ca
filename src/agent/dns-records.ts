import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { AgentInputError } from './agent-input-error.js';
import { errorMessage } from './error-code.js';
import { parseJsonFile } from './parse-json-file.js';

/** Addresses per lower-cased name, without the trailing dot. */
export type RecordTable = ReadonlyMap<string, readonly string[]>;

/** Normalizes a DNS name for lookup: case-insensitive, trailing dot ignored. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Parses records.json: {"x.svc.cluster.local": "10.96.0.100" | ["10.96.0.100", "fd00::1"], ...}. */
export function parseRecords(text: string, file: string): RecordTable {
  const value = parseJsonFile(text, file);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AgentInputError(`${file}: expected an object mapping names to addresses`);
  const table = new Map<string, string[]>();
  for (const [name, raw] of Object.entries(value)) {
    const addresses = Array.isArray(raw) ? raw : [raw];
    for (const address of addresses) {
      if (typeof address !== 'string' || !isIP(address)) throw new AgentInputError(`${file}: "${name}": expected an IP address or a list of them, got ${JSON.stringify(address)}`);
    }
    const key = normalizeName(name);
    table.set(key, [...(table.get(key) ?? []), ...(addresses as string[])]);
  }
  return table;
}

/**
 * The records file, re-read when its mtime changes (checked at most every 200 ms), so the caller can
 * add names to a running DNS server by rewriting the file (write a temp file and rename it).
 */
export class RecordsFile {
  private table: RecordTable;
  private mtimeMs: number;
  private checkedAt = 0;

  /** Loads the file now; throws AgentInputError when it is missing or malformed. */
  constructor(
    private readonly path: string,
    private readonly log: (message: string) => void,
  ) {
    try {
      this.mtimeMs = statSync(path).mtimeMs;
      this.table = parseRecords(readFileSync(path, 'utf8'), path);
    } catch (error) {
      if (error instanceof AgentInputError) throw error;
      throw new AgentInputError(`--records: cannot read ${path}: ${errorMessage(error)}`);
    }
  }

  /** The addresses of `name`, or undefined when it is not a known name. */
  lookup(name: string): readonly string[] | undefined {
    this.refresh();
    return this.table.get(normalizeName(name));
  }

  private refresh(): void {
    const now = Date.now();
    if (now - this.checkedAt < 200) return;
    this.checkedAt = now;
    try {
      const mtimeMs = statSync(this.path).mtimeMs;
      if (mtimeMs === this.mtimeMs) return;
      this.table = parseRecords(readFileSync(this.path, 'utf8'), this.path);
      this.mtimeMs = mtimeMs;
    } catch (error) {
      this.log(`records not reloaded, keeping the previous ones: ${errorMessage(error)}`);
    }
  }
}

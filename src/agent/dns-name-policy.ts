import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { AgentInputError } from './agent-input-error.js';
import { errorMessage } from './error-code.js';
import { parseJsonFile } from './parse-json-file.js';

/** A set the DNS server fills with the addresses it answers for names its regexes match. */
export interface FqdnSetSpec {
  readonly set: string;
  readonly family: 4 | 6;
  /** Anchored regex sources, tested against the query name lower-cased without its trailing dot. */
  readonly names: readonly string[];
}

/** How the DNS server treats the queries of one source address (a pod's). */
export interface DnsSourcePolicy {
  readonly ip: string;
  /** The pod, for logs. */
  readonly pod: string;
  /** Per transport: absent = not judged (answered, nothing learned); present = only names these regexes match, others REFUSED. */
  readonly lookups: { readonly UDP?: readonly string[]; readonly TCP?: readonly string[] };
  /** Filled from the answers of judged lookups that were allowed. */
  readonly sets: readonly FqdnSetSpec[];
}

/** The per-source name policy file (`--name-policy`), rewritten by the datapath at every sync. */
export interface DnsNamePolicyFile {
  /** Where the sets live: a network namespace (by name, as `ip netns` knows it) and an `inet` table there. */
  readonly nft?: { readonly netns: string; readonly table: string; readonly timeoutSeconds: number };
  readonly sources: readonly DnsSourcePolicy[];
}

/** What the server does with one query. */
export type NameVerdict =
  | { readonly kind: 'not-judged' }
  | { readonly kind: 'refuse' }
  /** Allowed by the source's DNS rules; `sets` are the sets the answered addresses of each family go to first. */
  | { readonly kind: 'allow'; readonly sets: readonly FqdnSetSpec[] };

interface CompiledSource {
  readonly lookups: { readonly UDP?: readonly RegExp[]; readonly TCP?: readonly RegExp[] };
  readonly sets: readonly (FqdnSetSpec & { readonly regexes: readonly RegExp[] })[];
}

const MAX_REGEX = 1024;

/** Parses the name policy file; throws AgentInputError naming the file and the field on anything malformed. */
export function parseNamePolicy(text: string, file: string): DnsNamePolicyFile {
  const value = parseJsonFile(text, file);
  const bad = (what: string): never => {
    throw new AgentInputError(`${file}: ${what}`);
  };
  if (typeof value !== 'object' || value === null || !Array.isArray((value as DnsNamePolicyFile).sources)) return bad('expected {"sources": [...]}');
  const policy = value as DnsNamePolicyFile;
  for (const [i, s] of policy.sources.entries()) {
    if (typeof s !== 'object' || s === null || typeof s.ip !== 'string' || !isIP(s.ip)) bad(`sources[${i}].ip: expected an IP address`);
    if (typeof s.lookups !== 'object' || s.lookups === null || !Array.isArray(s.sets)) bad(`sources[${i}]: expected "lookups" {UDP?, TCP?} and "sets" [...]`);
    for (const regex of [...(s.lookups?.UDP ?? []), ...(s.lookups?.TCP ?? []), ...(s.sets ?? []).flatMap((x) => x.names ?? [])]) checkRegex(regex, `sources[${i}]`, bad);
    for (const [j, set] of (s.sets ?? []).entries()) if (!/^[a-z0-9_]+$/.test(String(set.set)) || (set.family !== 4 && set.family !== 6)) bad(`sources[${i}].sets[${j}]: expected {set: [a-z0-9_]+, family: 4|6}`);
  }
  if (policy.nft && (!/^[A-Za-z0-9_-]+$/.test(String(policy.nft.netns)) || !/^[A-Za-z0-9_]+$/.test(String(policy.nft.table)) || !Number.isInteger(policy.nft.timeoutSeconds))) bad('nft: expected {netns, table, timeoutSeconds}');
  return policy;
}

function checkRegex(regex: unknown, where: string, bad: (what: string) => never): void {
  if (typeof regex !== 'string' || regex.length > MAX_REGEX) bad(`${where}: expected regex strings of at most ${MAX_REGEX} characters`);
  try {
    new RegExp(regex as string);
  } catch (error) {
    bad(`${where}: ${errorMessage(error)}`);
  }
}

/**
 * The name policy file, re-read when it is replaced (checked at every query: a sync renames a new
 * file into place and the very next query must see it), judging each query by its source address.
 */
export class NamePolicyFile {
  #policy: DnsNamePolicyFile = { sources: [] };
  #sources = new Map<string, CompiledSource>();
  #stamp = '';
  /** Bumped at every reload: the sets were replaced with the table, so what was added before is gone. */
  generation = 0;

  /** Loads the file now; throws AgentInputError when it is missing or malformed. */
  constructor(
    private readonly path: string,
    private readonly log: (message: string) => void,
  ) {
    try {
      this.#load(this.#stat());
    } catch (error) {
      if (error instanceof AgentInputError) throw error;
      throw new AgentInputError(`--name-policy: cannot read ${path}: ${errorMessage(error)}`);
    }
  }

  /** Where the sets live, if anywhere. */
  get nft(): DnsNamePolicyFile['nft'] {
    this.#refresh();
    return this.#policy.nft;
  }

  /** The verdict on a query for `name` (lower-cased, no trailing dot) from `querier` over `transport`. */
  judge(querier: string, transport: 'UDP' | 'TCP', name: string): NameVerdict {
    this.#refresh();
    const source = this.#sources.get(querier.replace(/^::ffff:/, ''));
    const allowed = source?.lookups[transport];
    if (!source || !allowed) return { kind: 'not-judged' };
    if (!allowed.some((r) => r.test(name))) return { kind: 'refuse' };
    return { kind: 'allow', sets: source.sets.filter((s) => s.regexes.some((r) => r.test(name))) };
  }

  #stat(): string {
    const st = statSync(this.path);
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  }

  #load(stamp: string): void {
    this.#policy = parseNamePolicy(readFileSync(this.path, 'utf8'), this.path);
    const regexes = (list: readonly string[] | undefined) => list?.map((r) => new RegExp(r));
    this.#sources = new Map(
      this.#policy.sources.map((s) => [
        s.ip,
        {
          lookups: { ...(s.lookups.UDP && { UDP: regexes(s.lookups.UDP) }), ...(s.lookups.TCP && { TCP: regexes(s.lookups.TCP) }) },
          sets: s.sets.map((set) => ({ ...set, regexes: regexes(set.names) ?? [] })),
        },
      ]),
    );
    this.#stamp = stamp;
    this.generation++;
  }

  #refresh(): void {
    try {
      const stamp = this.#stat();
      if (stamp !== this.#stamp) this.#load(stamp);
    } catch (error) {
      this.log(`name policy not reloaded, keeping the previous one: ${errorMessage(error)}`);
    }
  }
}

import { AgentInputError } from './agent-input-error.js';
import { parseJsonFile } from './parse-json-file.js';

/** One pod (or external host) a netns hub serves: its identity and ports, inside its own network namespace. */
export interface HubMember {
  readonly identity: string;
  /** The namespace file (`/run/netns/<name>`) the member's sockets are made in. */
  readonly netns: string;
  /** The ports, as `--listen` spells them ("80/TCP,80/UDP,8080/HTTP"). */
  readonly listen: string;
  /** The address the ports bind (default 0.0.0.0; `::` takes both families). */
  readonly host?: string;
  /** The member's control socket (a unix socket path) if it is a probe source: its batches arrive there. */
  readonly control?: string;
  /** The resolv.conf its name lookups read. */
  readonly resolvConf?: string;
}

/** What `netseg-agent hub --spec FILE` serves. */
export interface HubSpec {
  readonly members: readonly HubMember[];
}

const MAX_MEMBERS = 10_000;
const KEYS = new Set(['identity', 'netns', 'listen', 'host', 'control', 'resolvConf']);

/** Parses and checks a hub spec file's text; AgentInputError naming the file and the member on any fault. */
export function parseHubSpec(text: string, file: string): HubSpec {
  const json = parseJsonFile(text, file);
  const members = typeof json === 'object' && json !== null ? (json as { members?: unknown }).members : undefined;
  if (!Array.isArray(members) || members.length === 0 || members.length > MAX_MEMBERS) throw new AgentInputError(`${file}: expected {"members": [...]} with 1-${MAX_MEMBERS} members`);
  return { members: members.map((m, i) => member(m, `${file}: members[${i}]`)) };
}

function member(value: unknown, where: string): HubMember {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AgentInputError(`${where}: expected an object`);
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).find((k) => !KEYS.has(k));
  if (unknown !== undefined) throw new AgentInputError(`${where}: unknown key "${unknown}"`);
  const text = (key: string, required: boolean): string | undefined => {
    const v = record[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || (required && key !== 'listen' && v.length === 0)) throw new AgentInputError(`${where}.${key}: expected a${required ? ' non-empty' : ''} string`);
    return v;
  };
  const host = text('host', false);
  const resolvConf = text('resolvConf', false);
  const control = text('control', false);
  return {
    identity: text('identity', true) as string,
    netns: text('netns', true) as string,
    listen: text('listen', true) as string,
    ...(host !== undefined && { host }),
    ...(resolvConf !== undefined && { resolvConf }),
    ...(control !== undefined && { control }),
  };
}

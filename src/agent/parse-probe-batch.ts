import { isIP } from 'node:net';
import { AgentInputError } from './agent-input-error.js';
import type { ConnectJob, DnsJob, HttpJob, ProbeBatch, ProbeJob } from './protocol.js';

/** Upper bounds that keep a malformed batch from holding the agent for long. */
export const BATCH_LIMITS = { maxJobs: 100_000, maxConcurrency: 1024, maxTimeoutMs: 120_000 } as const;

type Fields = Record<string, unknown>;

/** Validates untrusted JSON as a ProbeBatch; throws AgentInputError naming the offending path. */
export function parseProbeBatch(value: unknown): ProbeBatch {
  const batch = object(value, 'batch');
  const concurrency = integer(batch.concurrency, 'batch.concurrency', 1, BATCH_LIMITS.maxConcurrency);
  if (!Array.isArray(batch.jobs)) throw new AgentInputError('batch.jobs: expected an array');
  if (batch.jobs.length > BATCH_LIMITS.maxJobs) throw new AgentInputError(`batch.jobs: at most ${BATCH_LIMITS.maxJobs} jobs`);
  const jobs = batch.jobs.map((job, i) => parseJob(job, `batch.jobs[${i}]`));
  const seen = new Set<string>();
  jobs.forEach((job, i) => {
    if (seen.has(job.id)) throw new AgentInputError(`batch.jobs[${i}].id: duplicate id "${job.id}"`);
    seen.add(job.id);
  });
  return { jobs, concurrency };
}

/** Parses a JSON text as a ProbeBatch (AgentInputError on bad JSON, too). */
export function parseProbeBatchJson(text: string): ProbeBatch {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AgentInputError(`batch is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseProbeBatch(value);
}

function parseJob(value: unknown, path: string): ProbeJob {
  const job = object(value, path);
  const id = string(job.id, `${path}.id`);
  const timeoutMs = integer(job.timeoutMs, `${path}.timeoutMs`, 1, BATCH_LIMITS.maxTimeoutMs);
  switch (job.kind) {
    case 'connect': {
      const protocol = oneOf(job.protocol, `${path}.protocol`, ['TCP', 'UDP', 'SCTP'] as const);
      const parsed: ConnectJob = { kind: 'connect', id, host: string(job.host, `${path}.host`), port: integer(job.port, `${path}.port`, 1, 65_535), protocol, timeoutMs };
      return {
        ...parsed,
        ...(job.expectIdentity !== undefined && { expectIdentity: string(job.expectIdentity, `${path}.expectIdentity`) }),
        ...(job.family !== undefined && { family: ipVersion(job.family, `${path}.family`) }),
      };
    }
    case 'http':
      return parseHttpJob(job, id, timeoutMs, path);
    case 'dns': {
      const server = string(job.server, `${path}.server`);
      if (!isIP(server)) throw new AgentInputError(`${path}.server: expected an IP address, got "${server}"`);
      const parsed: DnsJob = { kind: 'dns', id, name: string(job.name, `${path}.name`), server, transport: oneOf(job.transport, `${path}.transport`, ['UDP', 'TCP'] as const), timeoutMs };
      return {
        ...parsed,
        ...(job.type !== undefined && { type: oneOf(job.type, `${path}.type`, ['A', 'AAAA'] as const) }),
        ...(job.port !== undefined && { port: integer(job.port, `${path}.port`, 1, 65_535) }),
      };
    }
    default:
      throw new AgentInputError(`${path}.kind: expected "connect", "http" or "dns", got ${JSON.stringify(job.kind)}`);
  }
}

/** An HTTP job; method, path, Host and header values are checked so no job can split the request it sends. */
function parseHttpJob(job: Fields, id: string, timeoutMs: number, path: string): HttpJob {
  const method = string(job.method, `${path}.method`);
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) throw new AgentInputError(`${path}.method: not an HTTP method token`);
  const target = string(job.path, `${path}.path`);
  if (!/^\/[\x21-\x7e]*$/.test(target)) throw new AgentInputError(`${path}.path: expected "/" then visible ASCII`);
  const headers = object(job.headers, `${path}.headers`);
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) || typeof value !== 'string' || /[\r\n\0]/.test(value)) throw new AgentInputError(`${path}.headers: bad header ${JSON.stringify(name)}`);
  }
  const hostHeader = string(job.hostHeader, `${path}.hostHeader`);
  if (/[\s\0]/.test(hostHeader)) throw new AgentInputError(`${path}.hostHeader: no whitespace or control characters`);
  const parsed: HttpJob = { kind: 'http', id, host: string(job.host, `${path}.host`), port: integer(job.port, `${path}.port`, 1, 65_535), timeoutMs, method, path: target, hostHeader, headers: headers as Record<string, string> };
  return {
    ...parsed,
    ...(job.expectIdentity !== undefined && { expectIdentity: string(job.expectIdentity, `${path}.expectIdentity`) }),
    ...(job.family !== undefined && { family: ipVersion(job.family, `${path}.family`) }),
  };
}

function ipVersion(value: unknown, path: string): 4 | 6 {
  if (value !== 4 && value !== 6) throw new AgentInputError(`${path}: expected 4 or 6, got ${JSON.stringify(value)}`);
  return value;
}

function object(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AgentInputError(`${path}: expected an object`);
  return value as Fields;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new AgentInputError(`${path}: expected a non-empty string`);
  return value;
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AgentInputError(`${path}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new AgentInputError(`${path}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

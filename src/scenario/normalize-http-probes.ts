import type { HttpProbe } from '../model/index.js';
import type { DocPath, IssueList } from './issue-list.js';
import type { ScenarioInput } from './schema.js';
import type { YamlDocument } from './yaml-source.js';

/** At most this many HTTP probes per scenario: each multiplies every HTTP port's cells. */
export const MAX_HTTP_PROBES = 64;

/** RFC 9110 §5.6.2 `token`: methods and header names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A request target in origin form: "/" then visible ASCII only (no whitespace, no control characters). */
const ORIGIN_FORM = /^\/[\x21-\x7e]*$/;
/** Header and Host values: no CR, LF or NUL (they would split or end the request), no other controls but tab. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\uffff]*$/;
/** Bytes of a probe's extra headers and path together: well below the agent's 16 KiB header limit, whose 431 answer would read as a refusal. */
export const MAX_HTTP_REQUEST_BYTES = 8 * 1024;
/** Headers the agent's client sets itself from the probe or the connection. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

type HttpProbeInput = NonNullable<NonNullable<ScenarioInput['spec']['probes']>['http']>[number];

/**
 * Validates `probes.http` and gives each probe its id (the `name`, else "METHOD path"); ids are
 * unique. Undefined when none is declared, so a scenario without HTTP probes keeps today's settings.
 */
export function normalizeHttpProbes(input: readonly HttpProbeInput[] | undefined, doc: YamlDocument, issues: IssueList): HttpProbe[] | undefined {
  if (input === undefined || input.length === 0) return undefined;
  const base: DocPath = ['spec', 'probes', 'http'];
  if (input.length > MAX_HTTP_PROBES) issues.error(doc, base, `probes.http lists ${input.length} requests; at most ${MAX_HTTP_PROBES} are allowed`);
  const ids = new Map<string, number>();
  return input.slice(0, MAX_HTTP_PROBES).map((p, i) => {
    const path = [...base, i];
    checkProbe(p, path, doc, issues);
    const id = p.name ?? `${p.method} ${p.path}`;
    const other = ids.get(id);
    if (other !== undefined) issues.error(doc, p.name === undefined ? path : [...path, 'name'], `HTTP probe "${id}" is declared twice (also probes.http[${other}]); give one a distinct name`);
    ids.set(id, i);
    const headers = Object.fromEntries(Object.entries(p.headers ?? {}));
    return { id, method: p.method, path: p.path, ...(p.host !== undefined && { host: p.host }), headers };
  });
}

function checkProbe(p: HttpProbeInput, path: DocPath, doc: YamlDocument, issues: IssueList): void {
  if (p.name !== undefined && (p.name.trim() !== p.name || p.name === '' || /[[\]\n\r]/.test(p.name))) {
    issues.error(doc, [...path, 'name'], `HTTP probe name "${p.name}" must be non-empty, without surrounding spaces, brackets or line breaks (it appears in cell ids as [name])`);
  }
  if (!TOKEN.test(p.method)) issues.error(doc, [...path, 'method'], `${JSON.stringify(p.method)} is not an HTTP method (a token of letters, digits and !#$%&'*+-.^_\`|~, e.g. GET)`);
  if (!ORIGIN_FORM.test(p.path)) issues.error(doc, [...path, 'path'], `path ${JSON.stringify(p.path)} must start with "/" and hold no spaces or control characters (percent-encode them)`);
  if (p.host !== undefined && (p.host === '' || !FIELD_VALUE.test(p.host) || /\s/.test(p.host))) issues.error(doc, [...path, 'host'], `host ${JSON.stringify(p.host)} must be a non-empty name without spaces or control characters`);
  for (const [name, value] of Object.entries(p.headers ?? {})) {
    const at = [...path, 'headers', name];
    if (!TOKEN.test(name)) issues.error(doc, at, `"${name}" is not a header name (a token of letters, digits and !#$%&'*+-.^_\`|~)`);
    else if (RESERVED_HEADERS.has(name.toLowerCase())) issues.error(doc, at, `header "${name}" is set by the probe itself${name.toLowerCase() === 'host' ? '; use the probe\'s host field' : ''}`);
    if (!FIELD_VALUE.test(value)) issues.error(doc, at, `the value of header "${name}" must not contain CR, LF or other control characters`);
  }
  const size = Object.entries(p.headers ?? {}).reduce((n, [name, value]) => n + name.length + value.length + 4, p.path.length + (p.host?.length ?? 0));
  if (size > MAX_HTTP_REQUEST_BYTES) issues.error(doc, path, `the request's path, host and headers take ${size} bytes; at most ${MAX_HTTP_REQUEST_BYTES} are allowed`);
}

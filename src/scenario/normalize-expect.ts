import { isDualStack, topologyFamilies, type ExpectRule, type ExpectSpec, type IpFamily, type PeerPattern, type Topology, type TruthTable } from '../model/index.js';
import type { DocPath, IssueList } from './issue-list.js';
import { checkLabels } from './normalize-topology.js';
import { parsePatternText } from './peer-pattern.js';
import type { PeerPatternInput, StepInput } from './schema.js';
import { parseSliceKey, parseTruthTable } from './truth-table.js';
import type { YamlDocument } from './yaml-source.js';

/**
 * Turns a step's `expect` into an ExpectSpec, checking every pod, external and table it names;
 * `requests` are the ids of the scenario's HTTP probes, which `request:` and table keys must name.
 */
export function normalizeExpect(input: StepInput['expect'], base: DocPath, doc: YamlDocument, issues: IssueList, topology: Topology, requests: readonly string[] = []): ExpectSpec {
  if (input === 'computed') return { kind: 'computed' };
  const tables: TruthTable[] = [];
  for (const [key, text] of Object.entries(input.tables ?? {})) {
    const path = [...base, 'tables', key];
    const slice = parseSliceKey(key);
    if (!slice) {
      issues.error(doc, path, `table key "${key}" must be a slice such as "80/TCP", "service 80/TCP" or "80/TCP IPv6"`);
      continue;
    }
    if (slice.family !== undefined) checkFamily(slice.family, path, doc, issues, topology);
    if (slice.request !== undefined) checkRequest(slice.request, slice.protocol, path, doc, issues, requests);
    const { table, problems } = parseTruthTable(text, (peer) => peerExists(peer, topology), (peer) => isExternalSource(peer, topology));
    for (const p of problems) issues.error(doc, path, p.message, doc.positionInString(path, p.line, p.column));
    tables.push({ ...slice, columns: table.columns, rows: table.rows, source: doc.positionOf(path) });
  }
  const rules: ExpectRule[] = (input.rules ?? []).map((r, i) => {
    const path = [...base, 'rules', i];
    const from = r.from === undefined ? undefined : normalizePattern(r.from, [...path, 'from'], 'from', doc, issues, topology);
    const to = r.to === undefined ? undefined : normalizePattern(r.to, [...path, 'to'], 'to', doc, issues, topology);
    return {
      ...(from && { from }),
      ...(to && { to }),
      ...(r.port !== undefined && { port: r.port }),
      ...(r.protocol !== undefined && { protocol: r.protocol }),
      ...(r.target !== undefined && { target: r.target }),
      ...(r.family !== undefined && checkFamily(r.family, [...path, 'family'], doc, issues, topology) && { family: r.family }),
      ...(r.request !== undefined && checkRequest(r.request, r.protocol, [...path, 'request'], doc, issues, requests) && { request: r.request }),
      expect: r.expect,
      source: doc.positionOf(path),
    };
  });
  return { kind: 'declared', default: input.default ?? 'allowed', tables, rules, checkSelf: input.self === 'check' };
}

/** A request restriction must name a declared HTTP probe (its requests go over TCP only); false after reporting it. */
function checkRequest(request: string, protocol: string | undefined, path: DocPath, doc: YamlDocument, issues: IssueList, requests: readonly string[]): boolean {
  if (!requests.includes(request)) {
    const known = requests.length === 0 ? 'the scenario declares no spec.probes.http' : `declared: ${requests.map((r) => `"${r}"`).join(', ')}`;
    issues.error(doc, path, `request "${request}" names no HTTP probe (${known})`);
    return false;
  }
  if (protocol !== undefined && protocol !== 'TCP') {
    issues.error(doc, path, `request "${request}" is an HTTP request, sent over TCP only, not ${protocol}`);
    return false;
  }
  return true;
}

/** A family restriction only makes sense in a dual-stack scenario (a single family's cells carry none); false after reporting it. */
function checkFamily(family: IpFamily, path: DocPath, doc: YamlDocument, issues: IssueList, topology: Topology): boolean {
  if (isDualStack(topology)) return true;
  issues.error(doc, path, `"${family}" restricts to one IP family, but the scenario has one family only (${topologyFamilies(topology).join(', ')}); drop it or declare spec.topology.ipFamilies: [IPv4, IPv6]`);
  return false;
}

function normalizePattern(
  input: PeerPatternInput,
  path: DocPath,
  side: 'from' | 'to',
  doc: YamlDocument,
  issues: IssueList,
  topology: Topology,
): PeerPattern | undefined {
  let pattern: PeerPattern;
  if (typeof input === 'string') {
    const parsed = parsePatternText(input);
    if ('error' in parsed) {
      issues.error(doc, path, parsed.error);
      return undefined;
    }
    pattern = parsed;
  } else {
    if (input.labels) checkLabels(input.labels, [...path, 'labels'], doc, issues);
    if (input.namespaceLabels) checkLabels(input.namespaceLabels, [...path, 'namespaceLabels'], doc, issues);
    pattern = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as PeerPattern;
  }
  const problem = unknownPeerProblem(pattern, side, topology);
  if (problem) issues.error(doc, path, problem);
  return pattern;
}

/** Why a pattern can never match, when it names a pod, namespace or external that does not exist. */
function unknownPeerProblem(p: PeerPattern, side: 'from' | 'to', topology: Topology): string | undefined {
  const literal = (s: string | undefined): s is string => s !== undefined && !s.includes('*');
  if (p.external !== undefined) {
    if (p.namespace !== undefined || p.pod !== undefined || p.labels || p.namespaceLabels) return 'a pattern with "external" cannot also select pods';
    if (literal(p.external) && !topology.externals.some((e) => e.name === p.external)) return `unknown external host "${p.external}"`;
    if (side === 'from' && !topology.externals.some((e) => e.source === true && (!literal(p.external) || e.name === p.external))) {
      return literal(p.external)
        ? `external host "${p.external}" is a destination only; declare it "source: true" in topology.externals to probe from it`
        : 'no external host is a probe source; declare one "source: true" in topology.externals to probe from it';
    }
    return undefined;
  }
  if (literal(p.namespace) && !topology.namespaces.some((n) => n.name === p.namespace)) return `unknown namespace "${p.namespace}"`;
  if (literal(p.pod)) {
    const candidates = topology.pods.filter((q) => q.name === p.pod);
    if (literal(p.namespace) ? !candidates.some((q) => q.namespace === p.namespace) : candidates.length === 0) {
      return `unknown pod "${literal(p.namespace) ? `${p.namespace}/` : ''}${p.pod}"`;
    }
  }
  return undefined;
}

function isExternalSource(peer: string, topology: Topology): boolean {
  return topology.externals.some((e) => e.source === true && `external:${e.name}` === peer);
}

function peerExists(peer: string, topology: Topology): boolean {
  if (peer.startsWith('external:')) return topology.externals.some((e) => e.name === peer.slice('external:'.length));
  return topology.pods.some((p) => `${p.namespace}/${p.name}` === peer);
}

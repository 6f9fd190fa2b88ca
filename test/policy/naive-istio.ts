import {
  ISTIO_ROOT_NAMESPACE,
  hostHeaderFor,
  isExternalRef,
  policiesOfKind,
  serviceAccountOf,
  serviceFqdn,
  type AuthorizationPolicy,
  type CellKey,
  type Connectivity,
  type HttpProbe,
  type IstioRule,
  type PodSpec,
  type PolicyObject,
  type Topology,
} from '../../src/model/index.js';
import { cidrContains, parseCIDR } from '../../src/model/cidr.js';
import {
  matchesIstioNamespace,
  matchesIstioPath,
  matchesIstioServiceAccount,
  matchesIstioString,
  parseIstioNamespace,
  parseIstioPathMatch,
  parseIstioServiceAccount,
  parseIstioStringMatch,
  requestHeader,
  type HttpRequest,
  type SourceIdentity,
} from '../../src/model/l7/index.js';
import { naiveVerdict } from './naive-evaluate.js';

// A reference evaluator for AuthorizationPolicy written straight from docs/l7-policy.md, cell by cell:
// no compilation, no sharing with src/policy/l7 (only the model/l7 string matchers both oracles use).

type Answer = 'yes' | 'no' | 'unknown';

interface Seen {
  readonly sourceIp: string;
  readonly identity: SourceIdentity | undefined;
  readonly destinationIp: string;
  readonly port: number;
  /** The request; undefined for a TCP connection. */
  readonly request: HttpRequest | undefined;
}

const HTTP_ONLY_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths', 'requestPrincipals', 'notRequestPrincipals'];

/** The engine's verdict for a cell, recomputed: L3/L4 by the naive evaluator, then AuthorizationPolicy. */
export function naiveIstioVerdict(topology: Topology, policies: readonly PolicyObject[], key: CellKey, requests: readonly HttpProbe[]): Connectivity {
  const below = naiveVerdict(topology, policies, key);
  if (below !== 'allowed' && below !== 'ambiguous') return below;
  if (key.protocol !== 'TCP' || key.target === 'dns' || isExternalRef(key.to)) return below;
  const dest = pod(topology, key.to)!;
  if (dest.system) return below;
  const httpPort = dest.ports.some((p) => p.port === key.port && p.protocol === 'TCP' && p.appProtocol === 'http');
  if (httpPort && key.request === undefined) return below;
  const applying = policiesOfKind(policies, 'AuthorizationPolicy').filter(
    (p) => (p.metadata.namespace === dest.namespace || p.metadata.namespace === ISTIO_ROOT_NAMESPACE) && Object.entries(p.spec.selector?.matchLabels ?? {}).every(([k, v]) => dest.labels[k] === v),
  );
  if (applying.length === 0) return below;
  const seen = seenBy(topology, key, dest, requests);
  const enforced = applying.filter((p) => p.metadata.annotations?.['istio.io/dry-run'] !== 'true');
  const answers: ('allow' | 'deny' | 'unknown')[] = [];
  for (const p of enforced) {
    if (p.spec.targetRefs?.length) answers.push('unknown');
    if (p.spec.action === 'CUSTOM') {
      const m = matches(p, seen);
      const verdict = p.metadata.annotations?.['netseg.io/custom-verdict'];
      if (m === 'unknown') answers.push('unknown');
      else if (m === 'yes') answers.push(verdict === 'deny' ? 'deny' : verdict === 'allow' ? 'allow' : 'unknown');
    }
    if (p.spec.action === 'DENY') {
      const m = matches(p, seen);
      if (m !== 'no') answers.push(m === 'yes' ? 'deny' : 'unknown');
    }
  }
  const allows = enforced.filter((p) => p.spec.action === 'ALLOW').map((p) => matches(p, seen));
  if (allows.length > 0) answers.push(allows.includes('yes') ? 'allow' : allows.includes('unknown') ? 'unknown' : 'deny');
  const after = answers.includes('deny') ? 'denied' : answers.includes('unknown') ? 'unknown' : 'allowed';
  if (after === 'unknown') return 'unknown';
  return below === 'ambiguous' ? 'ambiguous' : after;
}

function pod(topology: Topology, ref: string): PodSpec | undefined {
  return topology.pods.find((p) => `${p.namespace}/${p.name}` === ref);
}

function seenBy(topology: Topology, key: CellKey, dest: PodSpec, requests: readonly HttpProbe[]): Seen {
  const src = isExternalRef(key.from) ? undefined : pod(topology, key.from);
  const sourceIp = src ? src.ip : topology.externals.find((e) => `external:${e.name}` === key.from)!.ip;
  const identity = src && !src.system ? { trustDomain: 'cluster.local', namespace: src.namespace, serviceAccount: serviceAccountOf(src) } : undefined;
  const probe = key.request === undefined ? undefined : requests.find((r) => r.id === key.request)!;
  const dialled = key.target === 'service' ? (dest.serviceIP ?? dest.ip) : key.target === 'dns-name' ? serviceFqdn(dest.name, dest.namespace, topology.clusterDomain) : dest.ip;
  const request = probe && { method: probe.method, path: probe.path, host: probe.host ?? hostHeaderFor(dialled, key.port), headers: probe.headers };
  return { sourceIp, identity, destinationIp: dest.ip, port: key.port, request };
}

/** Whether some rule of the policy matches: rules absent match nothing. */
function matches(p: AuthorizationPolicy, seen: Seen): Answer {
  const rules = p.spec.rules ?? [];
  return or(rules.map((r) => ruleMatches(r, p, seen)));
}

function ruleMatches(rule: IstioRule, p: AuthorizationPolicy, seen: Seen): Answer {
  const tcp = seen.request === undefined;
  const usesHttp =
    (rule.from ?? []).some((f) => HTTP_ONLY_FIELDS.some((k) => k in f.source)) ||
    (rule.to ?? []).some((t) => HTTP_ONLY_FIELDS.some((k) => k in t.operation)) ||
    (rule.when ?? []).some((c) => c.key.startsWith('request.'));
  // On TCP an ALLOW rule with an HTTP-only field is dropped; elsewhere the field is left out.
  if (tcp && usesHttp && p.spec.action === 'ALLOW') return 'no';
  const fieldAnswer = (field: string, values: readonly string[] | undefined, notValues: readonly string[] | undefined): Answer => {
    if (tcp && HTTP_ONLY_FIELDS.includes(field)) return 'yes';
    return valuesAnswer(values, notValues, (v) => field_(field, v, p.metadata.namespace, seen));
  };
  const from = rule.from === undefined ? 'yes' : or(rule.from.map((f) => and([...positiveFields(f.source, fieldAnswer), ...notFields(f.source, fieldAnswer)])));
  const to = rule.to === undefined ? 'yes' : or(rule.to.map((t) => and([...positiveFields(t.operation, fieldAnswer), ...notFields(t.operation, fieldAnswer)])));
  const when = and(
    (rule.when ?? []).map((c) => {
      if (tcp && c.key.startsWith('request.')) return 'yes';
      return valuesAnswer(c.values, c.notValues, (v) => condition(c.key, v, seen));
    }),
  );
  return and([from, to, when]);
}

type FieldAnswer = (field: string, values: readonly string[] | undefined, notValues: readonly string[] | undefined) => Answer;

/** The positive fields of a source or operation, each an OR of its values. */
function positiveFields(o: object, fieldAnswer: FieldAnswer): Answer[] {
  return Object.entries(o)
    .filter(([k]) => !k.startsWith('not'))
    .map(([k, values]) => fieldAnswer(k, values as string[], undefined));
}

/** The `notX` fields: none of their values may match (asked as their positive field). */
function notFields(o: object, fieldAnswer: FieldAnswer): Answer[] {
  return Object.entries(o)
    .filter(([k]) => k.startsWith('not'))
    .map(([k, values]) => fieldAnswer(k[3]!.toLowerCase() + k.slice(4), undefined, values as string[]));
}

function valuesAnswer(values: readonly string[] | undefined, notValues: readonly string[] | undefined, one: (v: string) => Answer): Answer {
  const parts: Answer[] = [];
  if (values) parts.push(or(values.map(one)));
  if (notValues) parts.push(negate(or(notValues.map(one))));
  return and(parts);
}

/** One value of a source / operation field against what the sidecar sees (`not` fields arrive as their positive name). */
function field_(field: string, v: string, policyNamespace: string, seen: Seen): Answer {
  const id = seen.identity;
  const yes = (b: boolean): Answer => (b ? 'yes' : 'no');
  const str = (input: string | undefined, ignoreCase = false) => {
    const m = parseIstioStringMatch(v);
    return m.ok && matchesIstioString(m.matcher, input, { ignoreCase });
  };
  switch (field) {
    case 'principals':
      return yes(id !== undefined && str(`${id.trustDomain}/ns/${id.namespace}/sa/${id.serviceAccount}`));
    case 'namespaces': {
      const m = parseIstioNamespace(v);
      return yes(m.ok && matchesIstioNamespace(m.matcher, id));
    }
    case 'serviceAccounts': {
      const m = parseIstioServiceAccount(v, policyNamespace);
      return yes(m.ok && matchesIstioServiceAccount(m.matcher, id));
    }
    case 'ipBlocks':
      return yes(inCidr(v, seen.sourceIp));
    case 'ports':
      return yes(Number(v) === seen.port);
    case 'hosts':
      return yes(str(seen.request?.host, true));
    case 'methods':
      return yes(str(seen.request?.method));
    case 'paths': {
      const m = parseIstioPathMatch(v);
      return yes(m.ok && seen.request !== undefined && matchesIstioPath(m.matcher, seen.request.path));
    }
    case 'requestPrincipals':
    case 'remoteIpBlocks':
      return 'unknown';
    default:
      throw new Error(`naive istio: unknown field ${field}`);
  }
}

function condition(key: string, v: string, seen: Seen): Answer {
  const yes = (b: boolean): Answer => (b ? 'yes' : 'no');
  if (key === 'source.ip') return yes(inCidr(v, seen.sourceIp));
  if (key === 'destination.ip') return yes(inCidr(v, seen.destinationIp));
  if (key === 'destination.port') return yes(Number(v) === seen.port);
  if (key === 'source.namespace') return field_('namespaces', v, '', seen);
  if (key === 'source.principal') return field_('principals', v, '', seen);
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) {
    const m = parseIstioStringMatch(v);
    return yes(m.ok && seen.request !== undefined && matchesIstioString(m.matcher, requestHeader(seen.request, header[1]!)));
  }
  return 'unknown';
}

function inCidr(v: string, ip: string): boolean {
  const cidr = parseCIDR(v.includes('/') ? v : `${v}/${v.includes(':') ? 128 : 32}`);
  return cidr !== undefined && cidrContains(cidr, ip);
}

function and(parts: readonly Answer[]): Answer {
  return parts.includes('no') ? 'no' : parts.includes('unknown') ? 'unknown' : 'yes';
}

function or(parts: readonly Answer[]): Answer {
  return parts.includes('yes') ? 'yes' : parts.includes('unknown') ? 'unknown' : 'no';
}

function negate(a: Answer): Answer {
  return a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'unknown';
}

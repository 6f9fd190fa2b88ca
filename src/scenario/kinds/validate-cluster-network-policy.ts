import type { ClusterNetworkPolicy, ClusterNetworkPolicyAction, ClusterNetworkPolicyPods, LabelSelector, Topology } from '../../model/index.js';
import { hasLeadingZero } from '../../model/cidr.js';
import type { DocPath, IssueList } from '../issue-list.js';
import { checkDnsSubdomain, checkPortName } from '../k8s-syntax.js';
import { checkLabels } from '../normalize-topology.js';
import { parsePlaceholder } from '../placeholder.js';
import { resolveText } from '../resolve-policy.js';
import { checkCidrLiteral, checkCidrText, checkSelector } from '../validate-policy.js';
import type { YamlDocument } from '../yaml-source.js';
import type { LocatedPolicyOf } from './policy-kind-module.js';

// The CRD's CEL rules and the field docs (docs/cluster-network-policy.md §9) the zod schema cannot
// say with a clear message. The parsed object is read loosely here: until these checks pass, a
// peer or protocol entry may hold zero or several fields.

type Loose = Readonly<Record<string, unknown>>;
type Report = (path: DocPath, message: string) => void;

const DOMAIN_NAME = /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;
const NO_NAMED_PORT_PEERS = ['networks', 'nodes', 'domainNames'];
const MAX_CIDR_LENGTH = 43;

/** What the checks know of where the policy is used: a scenario's topology, or (lint of a manifest) none. */
export interface CheckScope {
  /** Absent: placeholders and named ports cannot be resolved, so only their syntax is checked. */
  readonly topology?: Topology;
  /** False for a plain manifest: `{{podIP …}}` placeholders are netseg's, the API server rejects them. */
  readonly placeholders: boolean;
}

interface Context extends CheckScope {
  readonly doc: YamlDocument;
  readonly issues: IssueList;
  readonly err: Report;
}

/** The API server's checks of a ClusterNetworkPolicy (schema CEL rules, name syntax, selectors) plus netseg's own (placeholders, named ports some pod declares). */
export function validateClusterNetworkPolicy(located: LocatedPolicyOf<ClusterNetworkPolicy>, topology: Topology, issues: IssueList): void {
  checkClusterNetworkPolicy(located, { topology, placeholders: true }, issues);
}

/** The checks of `validateClusterNetworkPolicy` within a scope that may know no topology (lint of plain manifests). */
export function checkClusterNetworkPolicy({ policy, doc, path }: LocatedPolicyOf<ClusterNetworkPolicy>, scope: CheckScope, issues: IssueList): void {
  const ctx: Context = { ...scope, doc, issues, err: (p, msg) => issues.error(doc, [...path, ...p], msg) };
  const nameProblem = checkDnsSubdomain(policy.metadata.name, 'policy name');
  if (nameProblem) ctx.err(['metadata', 'name'], nameProblem);
  if (policy.metadata.labels) checkLabels({ ...policy.metadata.labels }, [...path, 'metadata', 'labels'], doc, issues);
  const spec = [...path, 'spec'];
  checkOneOf(policy.spec.subject as Loose, ['namespaces', 'pods'], [...spec, 'subject'], 'subject', ctx, (field, value, at) => checkSelection(field, value, at, ctx));
  policy.spec.ingress?.forEach((rule, i) => {
    checkRule(rule.action, rule.from, rule.protocols, [...spec, 'ingress', i], 'from', ctx);
  });
  policy.spec.egress?.forEach((rule, i) => {
    checkRule(rule.action, rule.to, rule.protocols, [...spec, 'egress', i], 'to', ctx);
  });
}

function checkRule(action: ClusterNetworkPolicyAction, peers: readonly unknown[], protocols: readonly unknown[] | undefined, path: DocPath, peersKey: 'from' | 'to', ctx: Context): void {
  const fields = peersKey === 'from' ? ['namespaces', 'pods'] : ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'];
  peers.forEach((peer, j) => {
    checkOneOf(peer as Loose, fields, [...path, peersKey, j], 'a peer', ctx, (field, value, at) => checkPeerField(field, value, at, action, ctx));
  });
  const noNamedPorts = peers.find((p) => NO_NAMED_PORT_PEERS.some((f) => (p as Loose)[f] !== undefined)) as Loose | undefined;
  protocols?.forEach((entry, k) => {
    checkOneOf(entry as Loose, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], [...path, 'protocols', k], 'a protocols entry', ctx, (field, value, at) => {
      if (field !== 'destinationNamedPort') return checkDestinationPort((value as { destinationPort: Loose }).destinationPort, [...at, 'destinationPort'], ctx);
      const peer = noNamedPorts && NO_NAMED_PORT_PEERS.find((f) => noNamedPorts[f] !== undefined);
      if (peer) ctx.issues.error(ctx.doc, at, `destinationNamedPort cannot be used in a rule with a ${peer} peer (${peer} have no named ports)`);
      checkNamedPort(value as string, at, ctx);
    });
  });
}

/** Reports unless exactly one of `fields` is set; then checks that one. */
function checkOneOf(value: Loose, fields: readonly string[], path: DocPath, what: string, ctx: Context, check: (field: string, value: unknown, path: DocPath) => void): void {
  const set = fields.filter((f) => value[f] !== undefined);
  if (set.length === 1) {
    const field = set[0] as string;
    check(field, value[field], [...path, field]);
    return;
  }
  const message = `${what} needs exactly one of ${fields.join(', ')}`;
  ctx.issues.error(ctx.doc, set.length === 0 ? path : [...path, set[1] as string], set.length === 0 ? message : `${message}; it has ${set.join(' and ')}`);
}

function checkSelection(field: string, value: unknown, path: DocPath, ctx: Context): void {
  if (field === 'namespaces' || field === 'nodes') {
    checkSelector(value as LabelSelector, path, ctx.doc, ctx.issues);
    return;
  }
  const pods = value as ClusterNetworkPolicyPods;
  if (pods.namespaceSelector) checkSelector(pods.namespaceSelector, [...path, 'namespaceSelector'], ctx.doc, ctx.issues);
  checkSelector(pods.podSelector, [...path, 'podSelector'], ctx.doc, ctx.issues);
}

function checkPeerField(field: string, value: unknown, path: DocPath, action: ClusterNetworkPolicyAction, ctx: Context): void {
  switch (field) {
    case 'networks':
      checkSet(value as readonly string[], path, 'networks', ctx, (cidr, at) => checkNetwork(cidr, at, ctx));
      if (ctx.topology) checkResolvedSet(value as readonly string[], path, ctx.topology, ctx);
      return;
    case 'domainNames':
      // The field docs say "only supported for Accept rules", but no CEL rule rejects it: a warning,
      // because kubectl applies the object (docs/cluster-network-policy.md §9).
      if (action !== 'Accept') ctx.issues.warn(ctx.doc, path, `domainNames peers are only supported in Accept rules; in a ${action} rule the API gives them no meaning`);
      checkSet(value as readonly string[], path, 'domainNames', ctx, (name, at) => {
        if (!DOMAIN_NAME.test(name)) ctx.issues.error(ctx.doc, at, `"${name}" is not a domain name (e.g. example.com or *.example.com)`);
      });
      return;
    default:
      checkSelection(field, value, path, ctx);
  }
}

/** `listType=set` after placeholders resolve: two placeholders naming one address are one entry twice to the API server. */
function checkResolvedSet(values: readonly string[], path: DocPath, topology: Topology, ctx: Context): void {
  const seen = new Map<string, string>();
  values.forEach((v, i) => {
    if (!v.includes('{{')) return;
    let resolved: string;
    try {
      resolved = resolveText(v, topology);
    } catch {
      return; // a bad placeholder is reported by checkNetwork
    }
    const literal = values.find((w) => !w.includes('{{') && w === resolved);
    const first = seen.get(resolved) ?? literal;
    if (first !== undefined) ctx.issues.error(ctx.doc, [...path, i], `networks entries "${first}" and "${v}" are both ${resolved} here: the API server rejects an entry twice`);
    else seen.set(resolved, v);
  });
}

/** The CRD's `listType=set`: no entry twice. */
function checkSet(values: readonly string[], path: DocPath, what: string, ctx: Context, check: (value: string, path: DocPath) => void): void {
  values.forEach((v, i) => {
    if (values.indexOf(v) !== i) ctx.issues.error(ctx.doc, [...path, i], `${what} lists "${v}" twice`);
    else check(v, [...path, i]);
  });
}

function checkNetwork(text: string, path: DocPath, ctx: Context): void {
  // A placeholder's length is the resolved CIDR's, which is always short enough.
  if (!text.includes('{{') && text.length > MAX_CIDR_LENGTH) {
    ctx.issues.error(ctx.doc, path, `a networks entry has at most ${MAX_CIDR_LENGTH} characters`);
    return;
  }
  if (hasLeadingZero(text)) {
    ctx.issues.error(ctx.doc, path, `"${text}" writes a part with a leading zero, which CEL isCIDR rejects: write it without (e.g. 10.0.0.0/8)`);
    return;
  }
  if (ctx.topology) {
    checkCidrText(text, path, ctx.doc, ctx.issues, ctx.topology);
    return;
  }
  const placeholder = parsePlaceholder(text);
  if (placeholder === undefined) checkCidrLiteral(text, path, ctx.doc, ctx.issues);
  else if ('error' in placeholder) ctx.issues.error(ctx.doc, path, placeholder.error);
  else if (!ctx.placeholders) ctx.issues.error(ctx.doc, path, `"${text}" is a netseg placeholder, valid only in scenarios; a manifest needs a CIDR`);
}

function checkDestinationPort(port: Loose, path: DocPath, ctx: Context): void {
  checkOneOf(port, ['number', 'range'], path, 'destinationPort', ctx, (field, value, at) => {
    const range = value as { start: number; end: number };
    if (field === 'range' && range.start >= range.end) ctx.issues.error(ctx.doc, [...at, 'end'], `range start ${range.start} must be less than end ${range.end}`);
  });
}

function checkNamedPort(name: string, path: DocPath, ctx: Context): void {
  const bad = checkPortName(name);
  if (bad) ctx.issues.error(ctx.doc, path, bad);
  else if (ctx.topology && !ctx.topology.pods.some((p) => p.ports.some((c) => c.name === name))) ctx.issues.error(ctx.doc, path, `named port "${name}" is declared by no pod`);
}

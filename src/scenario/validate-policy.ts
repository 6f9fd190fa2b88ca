import { topologyFamilies, type LabelSelector, type NetworkPolicy, type NetworkPolicyPeer, type NetworkPolicyPort, type Topology } from '../model/index.js';
import { parseCIDR, type ParsedCIDR } from '../model/cidr.js';
import type { DocPath, IssueList } from './issue-list.js';
import { checkDnsLabel, checkDnsSubdomain, checkLabelKey, checkLabelValue, checkPortName } from './k8s-syntax.js';
import type { LocatedPolicyOf } from './kinds/policy-kind-module.js';
import { checkLabels } from './normalize-topology.js';
import { parsePlaceholder, placeholderTopology } from './placeholder.js';
import type { YamlDocument } from './yaml-source.js';

/**
 * Semantic checks of one policy, the ones the API server would make plus netseg's own: names,
 * selectors, peers, CIDRs and placeholders, port ranges and named ports that some pod declares.
 */
export function validatePolicy({ policy, doc, path }: LocatedPolicyOf<NetworkPolicy>, topology: Topology, issues: IssueList): void {
  const err = (p: DocPath, msg: string): void => issues.error(doc, [...path, ...p], msg);
  const nameProblem = checkDnsSubdomain(policy.metadata.name, 'policy name');
  if (nameProblem) err(['metadata', 'name'], nameProblem);
  checkPolicyNamespace(policy.metadata.namespace, [...path, 'metadata', 'namespace'], doc, issues, topology);
  if (policy.metadata.labels) checkLabels({ ...policy.metadata.labels }, [...path, 'metadata', 'labels'], doc, issues);
  checkSelector(policy.spec.podSelector, [...path, 'spec', 'podSelector'], doc, issues);
  const types = policy.spec.policyTypes ?? [];
  if (new Set(types).size !== types.length) err(['spec', 'policyTypes'], 'policyTypes lists a type twice');
  policy.spec.ingress?.forEach((rule, i) => {
    rule.from?.forEach((peer, j) => checkPeer(peer, [...path, 'spec', 'ingress', i, 'from', j], doc, issues, topology));
    rule.ports?.forEach((port, j) => checkPort(port, [...path, 'spec', 'ingress', i, 'ports', j], doc, issues, topology));
  });
  policy.spec.egress?.forEach((rule, i) => {
    rule.to?.forEach((peer, j) => checkPeer(peer, [...path, 'spec', 'egress', i, 'to', j], doc, issues, topology));
    rule.ports?.forEach((port, j) => checkPort(port, [...path, 'spec', 'egress', i, 'ports', j], doc, issues, topology));
  });
}

/** A namespaced policy's namespace: a DNS label that the topology declares. */
export function checkPolicyNamespace(namespace: string, path: DocPath, doc: YamlDocument, issues: IssueList, topology: Topology): void {
  // Falls back to the `metadata` key when the namespace came from a `{ file, namespace }` include.
  const problem = checkDnsLabel(namespace, 'namespace');
  if (problem) issues.error(doc, path, problem);
  else if (!topology.namespaces.some((n) => n.name === namespace)) issues.error(doc, path, `namespace "${namespace}" is not in the topology`);
}

/** Label selector rules of the API server: operators, values, key and value syntax. */
export function checkSelector(sel: LabelSelector, path: DocPath, doc: YamlDocument, issues: IssueList): void {
  if (sel.matchLabels) checkLabels({ ...sel.matchLabels }, [...path, 'matchLabels'], doc, issues);
  sel.matchExpressions?.forEach((req, i) => {
    const p = [...path, 'matchExpressions', i];
    const badKey = checkLabelKey(req.key);
    if (badKey) issues.error(doc, [...p, 'key'], badKey);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) issues.error(doc, req.values ? [...p, 'values'] : [...p, 'operator'], `operator ${req.operator} needs at least one value`);
        values.forEach((v, k) => {
          const bad = checkLabelValue(v);
          if (bad) issues.error(doc, [...p, 'values', k], bad);
        });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (req.values !== undefined && values.length > 0) issues.error(doc, [...p, 'values'], `operator ${req.operator} takes no values`);
        break;
    }
  });
}

function checkPeer(peer: NetworkPolicyPeer, path: DocPath, doc: YamlDocument, issues: IssueList, topology: Topology): void {
  if (!peer.podSelector && !peer.namespaceSelector && !peer.ipBlock) {
    issues.error(doc, path, 'a peer needs podSelector, namespaceSelector or ipBlock');
    return;
  }
  if (peer.ipBlock && (peer.podSelector || peer.namespaceSelector)) {
    issues.error(doc, [...path, 'ipBlock'], 'ipBlock cannot be combined with podSelector or namespaceSelector in one peer');
  }
  if (peer.podSelector) checkSelector(peer.podSelector, [...path, 'podSelector'], doc, issues);
  if (peer.namespaceSelector) checkSelector(peer.namespaceSelector, [...path, 'namespaceSelector'], doc, issues);
  if (!peer.ipBlock) return;
  const cidr = checkCidrText(peer.ipBlock.cidr, [...path, 'ipBlock', 'cidr'], doc, issues, topology);
  peer.ipBlock.except?.forEach((e, i) => {
    const p = [...path, 'ipBlock', 'except', i];
    const ex = checkCidrText(e, p, doc, issues, topology);
    if (cidr && ex && !strictlyInside(ex, cidr)) issues.error(doc, p, `except ${e} must lie strictly inside the ipBlock cidr ${peer.ipBlock?.cidr}`);
  });
}

/** Checks a CIDR or placeholder; returns the parsed CIDR when the text is a concrete one. */
export function checkCidrText(text: string, path: DocPath, doc: YamlDocument, issues: IssueList, scenarioTopology: Topology): ParsedCIDR | undefined {
  const ph = parsePlaceholder(text);
  if (ph === undefined) return checkCidrLiteral(text, path, doc, issues);
  if ('error' in ph) {
    issues.error(doc, path, ph.error);
    return undefined;
  }
  if (ph.family !== undefined && !topologyFamilies(scenarioTopology).includes(ph.family)) {
    issues.error(doc, path, `placeholder asks for the ${ph.family} address, but the scenario's ipFamilies is [${topologyFamilies(scenarioTopology).join(', ')}]`);
    return undefined;
  }
  const topology = placeholderTopology(ph, scenarioTopology);
  switch (ph.kind) {
    case 'podIP':
    case 'podNet': {
      const pod = topology.pods.find((p) => `${p.namespace}/${p.name}` === ph.ref);
      if (!pod) issues.error(doc, path, `placeholder names an unknown pod "${ph.ref}"`);
      const max = pod?.ip.includes(':') ? 128 : 32;
      if (ph.kind === 'podNet' && ph.prefix > max) issues.error(doc, path, `prefix /${ph.prefix} is longer than /${max}`);
      return undefined;
    }
    case 'externalIP':
      if (!topology.externals.some((e) => e.name === ph.name)) issues.error(doc, path, `placeholder names an unknown external host "${ph.name}"${ph.family ? ` with an ${ph.family} address` : ''}`);
      return undefined;
  }
}

/** Checks a text that holds no placeholder is a CIDR; returns it parsed. */
export function checkCidrLiteral(text: string, path: DocPath, doc: YamlDocument, issues: IssueList): ParsedCIDR | undefined {
  const parsed = parseCIDR(text);
  if (!parsed) issues.error(doc, path, `"${text}" is not a CIDR (e.g. 10.0.0.0/8 or fd00::/64)`);
  return parsed;
}

function strictlyInside(inner: ParsedCIDR, outer: ParsedCIDR): boolean {
  if (inner.family !== outer.family || inner.prefix <= outer.prefix) return false;
  return inner.range[0].match(outer.range);
}

function checkPort(port: NetworkPolicyPort, path: DocPath, doc: YamlDocument, issues: IssueList, topology: Topology): void {
  const protocol = port.protocol ?? 'TCP';
  if (typeof port.port === 'string') {
    const bad = checkPortName(port.port);
    if (bad) issues.error(doc, [...path, 'port'], /^\d+$/.test(port.port) ? `port "${port.port}" is a string; write it as a number` : bad);
    else if (!topology.pods.some((p) => p.ports.some((c) => c.name === port.port && c.protocol === protocol))) {
      issues.error(doc, [...path, 'port'], `named port "${port.port}" (${protocol}) is declared by no pod`);
    }
    if (port.endPort !== undefined) issues.error(doc, [...path, 'endPort'], 'endPort cannot be used with a named port');
    return;
  }
  if (port.endPort === undefined) return;
  if (port.port === undefined) issues.error(doc, [...path, 'endPort'], 'endPort needs a numeric port');
  else if (port.endPort < port.port) issues.error(doc, [...path, 'endPort'], `endPort ${port.endPort} is less than port ${port.port}`);
}

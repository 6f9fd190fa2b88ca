import {
  familyOf,
  NAMESPACE_NAME_LABEL,
  parsePodRef,
  type FamilyAddressing,
  type IpFamily,
  type ContainerPort,
  type ExternalHost,
  type Labels,
  type NamespaceSpec,
  type PodSpec,
  type Protocol,
  type ServiceAccountSpec,
  type Topology,
} from '../model/index.js';
import { parseCIDR, parseIP, type ParsedCIDR } from '../model/cidr.js';
import { AddressPool } from './address-pool.js';
import type { DocPath, IssueList } from './issue-list.js';
import { checkDnsLabel, checkDnsSubdomain, checkLabelKey, checkLabelValue, checkPortName } from './k8s-syntax.js';
import type { TopologyInput } from './schema.js';
import type { YamlDocument } from './yaml-source.js';

/** Defaults of the address plan and the grid shorthand (docs/scenario-format.md). */
export const TOPOLOGY_DEFAULTS = {
  podCIDR: '10.244.0.0/16',
  serviceCIDR: '10.96.0.0/16',
  /** IPv6 ranges: unique local (fd00::/8), the ones kind picks for an IPv6 or dual-stack cluster. */
  podCIDRv6: 'fd00:10:244::/56',
  serviceCIDRv6: 'fd00:10:96::/112',
  clusterDomain: 'cluster.local',
  grid: { namespaces: ['x', 'y', 'z'], pods: ['a', 'b', 'c'], ports: [80, 81], protocols: ['TCP', 'UDP'] as Protocol[] },
  dnsNamespace: 'kube-system',
  dnsPod: 'coredns',
  dnsLabels: { 'k8s-app': 'kube-dns' } as Labels,
  /** Offsets in the service CIDR: the DNS Service, and the first pod Service. */
  dnsServiceOffset: 10,
  firstServiceOffset: 100,
} as const;

interface PodDraft {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ports: ContainerPort[];
  service: boolean;
  system: boolean;
  serviceAccount?: string;
  path: DocPath;
  explicit: boolean;
}

/**
 * Builds the Topology: grid expansion, merges, implicit namespace labels, the cluster DNS pod and
 * the deterministic address plan. Problems go to `issues`; the result is still usable for further checks.
 */
export function normalizeTopology(input: TopologyInput, doc: YamlDocument, issues: IssueList): Topology {
  const base: DocPath = ['spec', 'topology'];
  const families = normalizeFamilies(input.ipFamilies, [...base, 'ipFamilies'], doc, issues);
  const podCIDRs = familyCIDRs(input.podCIDR, 'podCIDR', families, [...base, 'podCIDR'], doc, issues);
  const serviceCIDRs = familyCIDRs(input.serviceCIDR, 'serviceCIDR', families, [...base, 'serviceCIDR'], doc, issues);
  const draft = new TopologyDraft(base, doc, issues);
  if (input.grid) draft.addGrid(input.grid);
  (input.namespaces ?? []).forEach((ns, i) => draft.addNamespace(ns, i));
  (input.pods ?? []).forEach((p, i) => draft.addPod(p, i));
  draft.addDnsPod();
  const externals = normalizeExternals(input.externals ?? [], families, [...base, 'externals'], doc, issues);
  const drafts = [...draft.pods.values()];
  const plans = families.map((f, i) => planAddresses(drafts, podCIDRs[i]!, serviceCIDRs[i]!, doc, issues));
  const namespaceSpecs: NamespaceSpec[] = [...draft.namespaces].map(([name, ns]) => ({ name, labels: { ...ns.labels, [NAMESPACE_NAME_LABEL]: name } }));
  const primary = plans[0]!;
  const dual = families.length > 1;
  const perFamily = families.map((family, i): FamilyAddressing => ({ family, podCIDR: podCIDRs[i]!.text, serviceCIDR: serviceCIDRs[i]!.text, dnsServiceIP: plans[i]!.dnsServiceIP }));
  const serviceAccounts = normalizeServiceAccounts(input.serviceAccounts ?? [], draft, [...base, 'serviceAccounts'], doc, issues);
  return {
    namespaces: namespaceSpecs,
    pods: dual ? primary.pods.map((pod, k) => withEveryFamily(pod, plans.map((plan) => plan.pods[k]!))) : primary.pods,
    externals,
    // A single-family IPv4 topology stays exactly what it was before families existed.
    ...(families.length !== 1 || families[0] !== 'IPv4' ? { ipFamilies: families } : {}),
    podCIDR: podCIDRs[0]!.text,
    serviceCIDR: serviceCIDRs[0]!.text,
    dnsServiceIP: primary.dnsServiceIP,
    ...(dual && { perFamily }),
    clusterDomain: input.clusterDomain ?? TOPOLOGY_DEFAULTS.clusterDomain,
    ...(serviceAccounts.length > 0 && { serviceAccounts }),
  };
}

/** The primary family's pod with the addresses of every family (one plan per family, same pod order). */
function withEveryFamily(primary: PodSpec, perFamily: readonly PodSpec[]): PodSpec {
  const serviceIPs = perFamily.flatMap((p) => (p.serviceIP === undefined ? [] : [p.serviceIP]));
  return { ...primary, ips: perFamily.map((p) => p.ip), ...(primary.serviceIP !== undefined && { serviceIPs }) };
}

/** `ipFamilies`, default [IPv4]; a family listed twice is an error. */
function normalizeFamilies(input: readonly IpFamily[] | undefined, path: DocPath, doc: YamlDocument, issues: IssueList): IpFamily[] {
  const families = input ?? ['IPv4'];
  if (families.length === 2 && families[0] === families[1]) {
    issues.error(doc, [...path, 1], `${families[1]} is listed twice; a dual-stack scenario lists IPv4 and IPv6`);
    return [families[0]!];
  }
  return [...families];
}

/**
 * One CIDR per family, in `families` order: the comma-separated CIDRs given (as kube's
 * --cluster-cidr takes them), each family not given defaulted. A CIDR of a family the scenario does
 * not have, or two of one family, is an error.
 */
function familyCIDRs(text: string | undefined, field: 'podCIDR' | 'serviceCIDR', families: readonly IpFamily[], path: DocPath, doc: YamlDocument, issues: IssueList): ParsedCIDR[] {
  const given = new Map<IpFamily, ParsedCIDR>();
  for (const part of text === undefined ? [] : text.split(',').map((t) => t.trim())) {
    const parsed = parseCIDR(part);
    if (!parsed) {
      issues.error(doc, path, `"${part}" is not a CIDR`);
      continue;
    }
    const family: IpFamily = parsed.family === 4 ? 'IPv4' : 'IPv6';
    if (!families.includes(family)) issues.error(doc, path, `${field} ${part} is ${family}, but the scenario's ipFamilies is [${families.join(', ')}]; add ${family} to spec.topology.ipFamilies or use an ${families[0]} CIDR`);
    else if (given.has(family)) issues.error(doc, path, `${field} has two ${family} CIDRs (${given.get(family)!.text}, ${part}); give one per family`);
    else given.set(family, parsed);
  }
  const fallback = (f: IpFamily): string => (field === 'podCIDR' ? (f === 'IPv4' ? TOPOLOGY_DEFAULTS.podCIDR : TOPOLOGY_DEFAULTS.podCIDRv6) : f === 'IPv4' ? TOPOLOGY_DEFAULTS.serviceCIDR : TOPOLOGY_DEFAULTS.serviceCIDRv6);
  return families.map((f) => given.get(f) ?? (parseCIDR(fallback(f)) as ParsedCIDR));
}

/** Declared service accounts: a valid name in a namespace of the topology (not the system one), each once. */
function normalizeServiceAccounts(input: NonNullable<TopologyInput['serviceAccounts']>, draft: TopologyDraft, base: DocPath, doc: YamlDocument, issues: IssueList): ServiceAccountSpec[] {
  const seen = new Set<string>();
  return input.map((sa, i) => {
    const path = [...base, i];
    const key = `${sa.namespace}/${sa.name}`;
    if (seen.has(key)) issues.error(doc, [...path, 'name'], `service account "${key}" is declared twice`);
    seen.add(key);
    const bad = checkDnsSubdomain(sa.name, 'service account name');
    if (bad) issues.error(doc, [...path, 'name'], bad);
    if (sa.namespace === TOPOLOGY_DEFAULTS.dnsNamespace) issues.error(doc, [...path, 'namespace'], `${TOPOLOGY_DEFAULTS.dnsNamespace} is the system namespace: netseg creates nothing there`);
    else if (!draft.namespaces.has(sa.namespace)) issues.error(doc, [...path, 'namespace'], `namespace "${sa.namespace}" is not in the topology`);
    return { namespace: sa.namespace, name: sa.name, labels: checkLabels(sa.labels ?? {}, [...path, 'labels'], doc, issues) };
  });
}

/** Namespaces and pods as the topology's parts declare them, in declaration order; later parts merge into earlier ones. */
class TopologyDraft {
  readonly namespaces = new Map<string, { labels: Record<string, string>; explicit: boolean }>();
  readonly pods = new Map<string, PodDraft>();

  constructor(
    private readonly base: DocPath,
    private readonly doc: YamlDocument,
    private readonly issues: IssueList,
  ) {}

  /** Every grid namespace × pod, labelled pod=<name>, serving the grid's ports. */
  addGrid(g: NonNullable<TopologyInput['grid']>): void {
    const { base, doc, issues } = this;
    const gridPorts = (g.ports ?? TOPOLOGY_DEFAULTS.grid.ports).flatMap((port) =>
      (g.protocols ?? TOPOLOGY_DEFAULTS.grid.protocols).map((protocol) => ({ port, protocol, name: `serve-${port}-${protocol.toLowerCase()}` })),
    );
    const gridNs = g.namespaces ?? TOPOLOGY_DEFAULTS.grid.namespaces;
    const gridPods = g.pods ?? TOPOLOGY_DEFAULTS.grid.pods;
    gridNs.forEach((ns, i) => checkName(ns, 'namespace', [...base, 'grid', 'namespaces', i], doc, issues));
    gridPods.forEach((p, i) => checkName(p, 'pod', [...base, 'grid', 'pods', i], doc, issues));
    for (const ns of gridNs) {
      this.#implicitNamespace(ns);
      for (const name of gridPods) {
        this.pods.set(`${ns}/${name}`, { namespace: ns, name, labels: { pod: name }, ports: [...gridPorts], service: true, system: false, path: [...base, 'grid'], explicit: false });
      }
    }
  }

  /** A declared namespace: its labels merge over the grid's; declared twice is an error. */
  addNamespace(ns: NonNullable<TopologyInput['namespaces']>[number], i: number): void {
    const { doc, issues } = this;
    const path = [...this.base, 'namespaces', i];
    checkName(ns.name, 'namespace', [...path, 'name'], doc, issues);
    const existing = this.namespaces.get(ns.name);
    if (existing?.explicit) issues.error(doc, [...path, 'name'], `namespace "${ns.name}" is declared twice`);
    const labels = checkLabels(ns.labels ?? {}, [...path, 'labels'], doc, issues);
    if (labels[NAMESPACE_NAME_LABEL] !== undefined && labels[NAMESPACE_NAME_LABEL] !== ns.name) {
      issues.error(doc, [...path, 'labels', NAMESPACE_NAME_LABEL], `${NAMESPACE_NAME_LABEL} is always the namespace name ("${ns.name}")`);
    }
    this.namespaces.set(ns.name, { labels: { ...existing?.labels, ...labels }, explicit: true });
  }

  /** A declared pod: merges over a grid pod of the same ref (labels added, ports replaced); declared twice, or the DNS pod, is an error. */
  addPod(p: NonNullable<TopologyInput['pods']>[number], i: number): void {
    const { doc, issues } = this;
    const path = [...this.base, 'pods', i];
    const parsed = this.#podRef(p.ref, path);
    if (!parsed) return;
    const ref = `${parsed.namespace}/${parsed.name}`;
    const existing = this.pods.get(ref);
    if (existing?.explicit) {
      issues.error(doc, [...path, 'ref'], `pod "${ref}" is declared twice`);
      return;
    }
    const labels = checkLabels(p.labels ?? {}, [...path, 'labels'], doc, issues);
    const ports = p.ports ? normalizePorts(p.ports, [...path, 'ports'], doc, issues) : undefined;
    const badAccount = p.serviceAccountName === undefined ? undefined : checkDnsSubdomain(p.serviceAccountName, 'serviceAccountName');
    if (badAccount) issues.error(doc, [...path, 'serviceAccountName'], badAccount);
    this.#implicitNamespace(parsed.namespace);
    this.pods.set(ref, {
      ...parsed,
      labels: { ...existing?.labels, ...labels },
      ports: ports ?? existing?.ports ?? [],
      service: p.service ?? existing?.service ?? true,
      system: false,
      ...(p.serviceAccountName !== undefined && { serviceAccount: p.serviceAccountName }),
      path,
      explicit: true,
    });
  }

  /** The implicit cluster DNS pod (kube-system/coredns), always last. */
  addDnsPod(): void {
    this.#implicitNamespace(TOPOLOGY_DEFAULTS.dnsNamespace);
    this.pods.set(`${TOPOLOGY_DEFAULTS.dnsNamespace}/${TOPOLOGY_DEFAULTS.dnsPod}`, {
      namespace: TOPOLOGY_DEFAULTS.dnsNamespace,
      name: TOPOLOGY_DEFAULTS.dnsPod,
      labels: { ...TOPOLOGY_DEFAULTS.dnsLabels },
      ports: [
        { port: 53, protocol: 'UDP', name: 'dns' },
        { port: 53, protocol: 'TCP', name: 'dns-tcp' },
      ],
      service: true,
      system: true,
      path: this.base,
      explicit: false,
    });
  }

  /** A pod's "namespace/pod" ref, checked; undefined (with the error reported) when it cannot be used. */
  #podRef(ref: string, path: DocPath): { namespace: string; name: string } | undefined {
    const { doc, issues } = this;
    let namespace: string;
    let name: string;
    try {
      ({ namespace, pod: name } = parsePodRef(ref));
    } catch {
      issues.error(doc, [...path, 'ref'], `pod ref "${ref}" must be "namespace/pod"`);
      return undefined;
    }
    checkName(namespace, 'namespace', [...path, 'ref'], doc, issues);
    checkName(name, 'pod', [...path, 'ref'], doc, issues);
    if (namespace === TOPOLOGY_DEFAULTS.dnsNamespace && name === TOPOLOGY_DEFAULTS.dnsPod) {
      issues.error(doc, [...path, 'ref'], `${ref} is the implicit cluster DNS pod and cannot be declared`);
      return undefined;
    }
    return { namespace, name };
  }

  #implicitNamespace(name: string): void {
    if (!this.namespaces.has(name)) this.namespaces.set(name, { labels: {}, explicit: false });
  }
}

/** Pods in declaration order get .1, .2, …; Services get .100, .101, …; the DNS Service gets .10. */
function planAddresses(
  drafts: PodDraft[],
  podCIDR: ParsedCIDR,
  serviceCIDR: ParsedCIDR,
  doc: YamlDocument,
  issues: IssueList,
): { pods: PodSpec[]; dnsServiceIP: string } {
  const podPool = new AddressPool(podCIDR);
  const svcPool = new AddressPool(serviceCIDR);
  const dnsServiceIP = svcPool.at(TOPOLOGY_DEFAULTS.dnsServiceOffset) ?? '';
  if (!dnsServiceIP) issues.error(doc, ['spec', 'topology', 'serviceCIDR'], `serviceCIDR ${serviceCIDR.text} is too small for the cluster DNS Service (.${TOPOLOGY_DEFAULTS.dnsServiceOffset})`);
  let podOffset = 1;
  let svcOffset = TOPOLOGY_DEFAULTS.firstServiceOffset;
  let reported = false;
  const pods = drafts.map((d): PodSpec => {
    const ip = podPool.at(podOffset++) ?? '';
    if (!ip && !reported) {
      reported = true;
      issues.error(doc, ['spec', 'topology', 'podCIDR'], `podCIDR ${podCIDR.text} is too small for ${drafts.length} pods`);
    }
    let serviceIP: string | undefined;
    if (d.service) {
      serviceIP = d.system ? dnsServiceIP : (svcPool.at(svcOffset++) ?? '');
      if (!serviceIP && !reported) {
        reported = true;
        issues.error(doc, ['spec', 'topology', 'serviceCIDR'], `serviceCIDR ${serviceCIDR.text} is too small for the Services`);
      }
    }
    return {
      namespace: d.namespace,
      name: d.name,
      labels: d.labels,
      ports: d.ports,
      service: d.service,
      ip,
      ...(serviceIP !== undefined && { serviceIP }),
      ...(d.system && { system: true }),
      ...(d.serviceAccount !== undefined && { serviceAccount: d.serviceAccount }),
    };
  });
  return { pods, dnsServiceIP };
}

function normalizeExternals(
  input: NonNullable<TopologyInput['externals']>,
  families: readonly IpFamily[],
  base: DocPath,
  doc: YamlDocument,
  issues: IssueList,
): ExternalHost[] {
  const seen = new Set<string>();
  const names = new Map<string, string>();
  return input.map((e, i) => {
    const path = [...base, i];
    if (seen.has(e.name)) issues.error(doc, [...path, 'name'], `external host "${e.name}" is declared twice`);
    seen.add(e.name);
    if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(e.name)) issues.error(doc, [...path, 'name'], `external host name "${e.name}" may contain only letters, digits, "-", "_" and "."`);
    const ips = externalAddresses(e, families, path, doc, issues);
    // A real address is someone else's machine: netseg runs no agent there, so it cannot probe.
    if (e.source && e.real) issues.error(doc, [...path, 'source'], `external host "${e.name}" is "real" (an address netseg does not run): it can be a destination, not a probe source`);
    // An outside client probes every pod over every family, so it needs an address of each.
    if (e.source && ips.length < families.length && ips.length > 0) issues.error(doc, [...path, 'source'], `external host "${e.name}" is a probe source in a dual-stack scenario: give it an address of each family (secondIP)`);
    if (e.dnsName !== undefined) checkExternalDnsName(e.name, e.dnsName, names, [...path, 'dnsName'], doc, issues);
    return {
      name: e.name,
      ip: e.ip,
      ...(ips.length > 1 && { ips }),
      ...(e.dnsName !== undefined && { dnsName: e.dnsName.toLowerCase() }),
      ports: normalizePorts(e.ports ?? [], [...path, 'ports'], doc, issues),
      ...(e.real ? { real: true } : {}),
      ...(e.source ? { source: true } : {}),
    };
  });
}

/**
 * An external's DNS name: a hostname (RFC 1123 labels of letters, digits and "-", at most 63 characters each, 253 in
 * all, no trailing dot), outside the cluster domain (the cluster DNS owns cluster.local), held by one external only
 * (the datapath's DNS answers each name with one host's addresses). Names compare case-insensitively, as DNS does.
 */
function checkExternalDnsName(external: string, dnsName: string, names: Map<string, string>, path: DocPath, doc: YamlDocument, issues: IssueList): void {
  const name = dnsName.toLowerCase();
  const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const labels = name.split('.');
  if (name.length > 253 || labels.length < 2 || !labels.every((l) => l.length <= 63 && label.test(l))) {
    issues.error(doc, path, `dnsName "${dnsName}" must be a hostname with at least two labels, such as api.example.com (letters, digits and "-" per label, at most 63 characters each, no trailing dot)`);
  } else if (name === 'cluster.local' || name.endsWith('.cluster.local')) {
    issues.error(doc, path, `dnsName "${dnsName}" is in the cluster domain cluster.local, which the cluster DNS answers: give the external a name outside it`);
  } else if (names.has(name)) {
    issues.error(doc, path, `dnsName "${dnsName}" is already the name of external host "${names.get(name)}": each name belongs to one external`);
  } else names.set(name, external);
}

/** An external host's valid addresses (`ip`, then `secondIP`): each of a family the scenario has, at most one per family. */
function externalAddresses(e: NonNullable<TopologyInput['externals']>[number], families: readonly IpFamily[], path: DocPath, doc: YamlDocument, issues: IssueList): string[] {
  const ips: string[] = [];
  const check = (ip: string, field: 'ip' | 'secondIP'): void => {
    const family = familyOf(ip);
    if (!parseIP(ip) || family === undefined) issues.error(doc, [...path, field], `"${ip}" is not an IP address`);
    else if (!families.includes(family)) issues.error(doc, [...path, field], `${ip} is ${family}, but the scenario's ipFamilies is [${families.join(', ')}]; add ${family} to spec.topology.ipFamilies`);
    else if (ips.some((other) => familyOf(other) === family)) issues.error(doc, [...path, field], `secondIP ${ip} is ${family} like ip ${e.ip}; secondIP is the address of the other family`);
    else ips.push(ip);
  };
  check(e.ip, 'ip');
  if (e.secondIP !== undefined) check(e.secondIP, 'secondIP');
  return ips;
}

function normalizePorts(
  input: readonly { port: number; protocol?: Protocol | undefined; name?: string | undefined; appProtocol?: 'http' | undefined }[],
  base: DocPath,
  doc: YamlDocument,
  issues: IssueList,
): ContainerPort[] {
  const seen = new Set<string>();
  const names = new Set<string>();
  return input.map((p, i) => {
    const protocol = p.protocol ?? 'TCP';
    const key = `${p.port}/${protocol}`;
    if (seen.has(key)) issues.error(doc, [...base, i], `port ${key} is declared twice`);
    seen.add(key);
    if (p.name !== undefined) {
      const bad = checkPortName(p.name);
      if (bad) issues.error(doc, [...base, i, 'name'], bad);
      if (names.has(p.name)) issues.error(doc, [...base, i, 'name'], `port name "${p.name}" is used twice in one pod`);
      names.add(p.name);
    }
    // HTTP runs over TCP only (HTTP/3 is not probed).
    if (p.appProtocol !== undefined && protocol !== 'TCP') issues.error(doc, [...base, i, 'appProtocol'], `appProtocol ${p.appProtocol} needs protocol TCP, not ${protocol}`);
    return { port: p.port, protocol, ...(p.name !== undefined && { name: p.name }), ...(p.appProtocol !== undefined && protocol === 'TCP' && { appProtocol: p.appProtocol }) };
  });
}

/** Validates label keys and values; returns the labels. */
export function checkLabels(labels: Record<string, string>, base: DocPath, doc: YamlDocument, issues: IssueList): Record<string, string> {
  for (const [k, v] of Object.entries(labels)) {
    const badKey = checkLabelKey(k);
    if (badKey) issues.error(doc, [...base, k], badKey);
    const badValue = checkLabelValue(v);
    if (badValue) issues.error(doc, [...base, k], badValue);
  }
  return labels;
}

function checkName(name: string, what: string, path: DocPath, doc: YamlDocument, issues: IssueList): void {
  const bad = checkDnsLabel(name, what);
  if (bad) issues.error(doc, path, bad);
}


import { stringify } from 'yaml';
import { addressOfFamily, EnvironmentError, familyOf, isDualStack, topologyFamilies, isExternalRef, podRefOf, serviceFqdn, systemClock, type ArtifactSink, type Clock, type ClusterState, type PodRef, type PodSpec, type PolicyKind, type PolicyObject, type Topology } from '../../model/index.js';
import type { Capabilities, DeployedScenario, Deployment, Environment } from '../provider.js';
import { buildManifests, namespaceLabels, podLabels, type Manifests } from './build-manifests.js';
import { cleanupKube } from './cleanup-kube.js';
import { familyAddresses } from './family-addresses.js';
import { KubeAddressBook, type KubeAddresses } from './kube-address-book.js';
import { refOf, type KubeApi, type KubeObject, type ObjectRef } from './kube-api.js';
import type { ClientSidecar } from '../../probe/client-sidecar.js';
import { KubeExecTransport } from './exec-transport.js';
import { ISTIO_MESH, type Mesh } from './istio-mesh.js';
import { NETSEG_LABELS } from './netseg-labels.js';
import { podReadiness } from './pod-readiness.js';
import { pollUntil } from './poll-until.js';
import { rewriteAuthorizationPolicy } from './rewrite-authorization-policy.js';
import { rewriteCalicoPolicy } from './rewrite-calico-policy.js';
import { rewriteCiliumPolicy } from './rewrite-cilium-policy.js';
import { rewriteClusterPolicy } from './rewrite-cluster-policy.js';
import { rewritePolicy } from './rewrite-policy.js';
import { systemSubjectReason } from './system-subject-cells.js';
import { RunNamespaces } from './run-namespaces.js';

/** What a Kubernetes provider passes to its environment. */
export interface KubeEnvironmentOptions {
  readonly api: KubeApi;
  readonly runId: string;
  /** e.g. "kind netseg-r1a2b3 (calico)". */
  readonly description: string;
  /** Probe pod image (an official Node image). */
  readonly image: string;
  /** The bundled agent's source (see loadAgentBundle). */
  readonly agentScript: string;
  /** The policy kinds the cluster's CNI enforces (the provider knows its CNI; the canary checks NetworkPolicy). */
  readonly policyKinds: readonly PolicyKind[];
  /** Why a kind missing from `policyKinds` is not enforced (e.g. the cluster serves no ClusterNetworkPolicy CRD). */
  readonly whyNotEnforced?: Readonly<Partial<Record<PolicyKind, string>>>;
  /** Whether the cluster's datapath probes SCTP (default false: needs the sctp module and CNI support). */
  readonly sctp?: boolean;
  /** Whether external hosts marked `real` are probed at their address (an existing cluster: kubeconfig). Default false. */
  readonly realExternals?: boolean;
  /** Bound of the readiness wait after deploy (default 180 s: first image pulls are slow). */
  readonly readyTimeoutMs?: number;
  /** Bound of the wait for the run's namespaces to disappear on dispose (default 120 s). */
  readonly disposeWaitMs?: number;
  /** First pause of the readiness poll (default 250 ms), doubling up to 2 s. */
  readonly pollIntervalMs?: number;
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
  /** kubectl flags that reach this cluster, for the enter hint (e.g. ["--kubeconfig", path]). */
  readonly kubectlArgs?: readonly string[];
  /** Runs after the run's namespaces are deleted on dispose (delete a kind cluster, stop a k3s container). */
  readonly onDispose?: () => Promise<void>;
  /** `istio`: the run's namespaces get sidecar injection and every probe pod must carry a ready sidecar (default none). */
  readonly mesh?: Mesh;
  /** The sidecars' upstream connect timeout (Istio's `meshConfig.connectTimeout`): set by a provider that installed the mesh; default Istio's 10 s. */
  readonly meshConnectTimeoutMs?: number;
  /** Receives kube/<run id>-<n>/manifests.yaml per deployment and sync-<k>.yaml per sync (the policies as applied). */
  readonly artifacts?: ArtifactSink;
}

interface Current {
  readonly namespaces: RunNamespaces;
  readonly topology: Topology;
  readonly clusterNamespaces: readonly string[];
  /** Scenario namespaces whose pods carry a client sidecar (injected). */
  readonly meshed: ReadonlySet<string>;
  /** Labels netseg last set, per object, to compute removals. */
  readonly labels: Map<string, Record<string, string>>;
  /** Policies applied, by kind and cluster name ("kind:ns/name"), with the JSON of what was applied. */
  readonly policies: Map<string, { ref: ObjectRef; json: string }>;
  /** Artifact directory of this deployment, and how many syncs it has seen. */
  readonly artifactDir: string;
  syncs: number;
  /** The state synced last (what `notEnforced` judges). */
  state?: ClusterState;
}

/**
 * The Environment over any Kubernetes cluster reached through a KubeApi. Every object lives in
 * namespaces labelled with the run id; dispose deletes them all.
 */
export class KubeEnvironment implements Environment {
  readonly description: string;
  readonly capabilities: Capabilities & { readonly realExternals: boolean };
  readonly #o: KubeEnvironmentOptions;
  readonly #clock: Clock;
  readonly #log: (message: string) => void;
  #deployCount = 0;
  #current: Current | undefined;
  #disposed = false;

  constructor(options: KubeEnvironmentOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? (() => {});
    this.description = options.description;
    this.capabilities = { policyKinds: options.policyKinds, ...(options.whyNotEnforced ? { whyNotEnforced: options.whyNotEnforced } : {}), sctp: options.sctp ?? false, externals: false, realExternals: options.realExternals ?? false };
  }

  /** Creates the scenario's namespaces, agent ConfigMaps, Services and probe pods; waits (bounded) until all pods are Ready. */
  async deploy(topology: Topology): Promise<DeployedScenario> {
    if (this.#current) await this.#undeploy(this.#current);
    const namespaces = new RunNamespaces(this.#o.runId, ++this.#deployCount, topology);
    const manifests = buildManifests(topology, { namespaces, image: this.#o.image, agentScript: this.#o.agentScript, ...(this.#o.mesh && { mesh: this.#o.mesh }) });
    const clusterNamespaces = manifests.namespaces.map((n) => n.metadata.name);
    const artifactDir = `kube/${this.#o.runId}-${this.#deployCount}`;
    const current: Current = { namespaces, topology, clusterNamespaces, meshed: meshedNamespaces(manifests), labels: new Map(), policies: new Map(), artifactDir, syncs: 0 };
    this.#current = current;
    try {
      await this.#o.artifacts?.write(`${artifactDir}/manifests.yaml`, manifestsYaml(manifests));
      await this.#create(manifests, current);
      return this.#deployed(current, await this.#resolve(topology, namespaces, manifests));
    } catch (e) {
      // Nothing half-applied: a failed deploy removes what it created.
      await this.#undeploy(current).catch((u: unknown) => this.#log(`cleanup after failed deploy: ${(u as Error).message}`));
      throw e;
    }
  }

  /** The objects a policy becomes in the cluster (names and selectors rewritten to the run's namespaces; a root-namespace AuthorizationPolicy becomes one per namespace). */
  #manifestsOf(policy: PolicyObject, namespaces: RunNamespaces): KubeObject[] {
    switch (policy.kind) {
      case 'NetworkPolicy':
        return [rewritePolicy(policy, namespaces) as unknown as KubeObject];
      case 'ClusterNetworkPolicy':
        return [rewriteClusterPolicy(policy, namespaces) as unknown as KubeObject];
      case 'CiliumNetworkPolicy':
      case 'CiliumClusterwideNetworkPolicy':
        return [rewriteCiliumPolicy(policy, namespaces)];
      case 'CalicoNetworkPolicy':
      case 'CalicoGlobalNetworkPolicy':
      case 'CalicoTier':
        return [rewriteCalicoPolicy(policy, namespaces)];
      case 'AuthorizationPolicy':
        return rewriteAuthorizationPolicy(policy, namespaces);
    }
  }

  /** The deployment as a value: its transport is one exec per source pod per round, its enter hint a kubectl command into the agent container. */
  #deployed(current: Current, deployment: Deployment): DeployedScenario {
    return {
      ...deployment,
      sync: (state) => this.#sync(current, state),
      transport: () => new KubeExecTransport(this.#o.api, (ref) => this.#locate(current, ref), (ref) => this.#clientSidecar(current, ref)),
      notEnforced: (cell) => systemSubjectReason(current.state, cell),
      enterHint: (host) => {
        // No external hosts here (capabilities.externals is false): every host with an agent is a pod.
        if (isExternalRef(host)) return `(${host} is not deployed: this provider creates no external hosts)`;
        const { namespace, pod: name } = this.#locate(current, host);
        return ['kubectl', ...(this.#o.kubectlArgs ?? []), '-n', namespace, 'exec', '-it', name, '-c', NETSEG_LABELS.container, '--', 'sh'].join(' ');
      },
      undeploy: () => this.#undeploy(current),
      [Symbol.asyncDispose]: () => this.#undeploy(current),
    };
  }

  /** Makes the run's policies and labels equal `state`: applies changed policies, deletes dropped ones, patches label changes. */
  async #sync(current: Current, state: ClusterState): Promise<void> {
    this.#require(current);
    current.state = state;
    const desired = new Map<string, { object: KubeObject; json: string }>();
    for (const policy of state.policies) {
      for (const object of this.#manifestsOf(policy, current.namespaces)) desired.set(labelKey(refOf(object)), { object, json: JSON.stringify(object) });
    }
    const policies = [...desired.values()].map((d) => d.object);
    await this.#o.artifacts?.write(`${current.artifactDir}/sync-${++current.syncs}.yaml`, policies.length ? yamlDocuments(policies) : '# no policy in force\n');
    for (const [key, { object, json }] of desired) {
      if (current.policies.get(key)?.json === json) continue;
      await this.#o.api.apply(object);
      current.policies.set(key, { ref: refOf(object), json });
    }
    for (const [key, { ref }] of [...current.policies]) {
      if (desired.has(key)) continue;
      await this.#o.api.delete(ref);
      current.policies.delete(key);
    }
    await this.#syncLabels(state.topology, current);
  }

  /** Deletes every namespace of the run (bounded wait), then the provider's own teardown. Idempotent. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#current = undefined;
    let failure: unknown;
    try {
      const clusterPolicies = this.capabilities.policyKinds.includes('ClusterNetworkPolicy');
      const ciliumPolicies = this.capabilities.policyKinds.includes('CiliumClusterwideNetworkPolicy');
      const calicoPolicies = this.capabilities.policyKinds.includes('CalicoGlobalNetworkPolicy');
      const r = await cleanupKube(this.#o.api, { runId: this.#o.runId, clock: this.#clock, waitMs: this.#o.disposeWaitMs ?? 120_000, log: this.#log, clusterPolicies, ciliumPolicies, calicoPolicies });
      if (r.remaining.length > 0) this.#log(`namespaces still terminating: ${r.remaining.join(', ')} (netseg cleanup --run-id ${this.#o.runId} removes them)`);
    } catch (e) {
      failure = e;
    }
    if (this.#o.onDispose) await this.#o.onDispose();
    if (failure) throw failure;
  }

  async #create(m: Manifests, current: Current): Promise<void> {
    for (const ns of m.namespaces) await this.#o.api.apply(ns);
    await Promise.all(m.configMaps.map((c) => this.#o.api.apply(c)));
    // Before the pods: the API server rejects a pod whose service account does not exist.
    await Promise.all(m.serviceAccounts.map((a) => this.#o.api.apply(a)));
    await Promise.all(m.services.map((s) => this.#o.api.apply(s)));
    await Promise.all(m.pods.map((p) => this.#o.api.apply(p)));
    for (const o of [...m.namespaces, ...m.pods]) current.labels.set(labelKey(refOf(o)), { ...(o.metadata.labels ?? {}) });
  }

  async #resolve(topology: Topology, namespaces: RunNamespaces, m: Manifests): Promise<Deployment> {
    const api = this.#o.api;
    const podIPs = await this.#waitPodsReady(m);
    const services = new Map<string, readonly string[]>();
    for (const ns of m.namespaces) {
      for (const s of await api.list('v1', 'Service', { namespace: ns.metadata.name, labelSelector: `${NETSEG_LABELS.runId}=${this.#o.runId}` })) {
        const ips = clusterIPsOf(s);
        if (ips.length > 0) services.set(`${ns.metadata.name}/${s.metadata.name}`, ips);
      }
    }
    const dnsServers = await this.#dnsServiceIPs();
    const dnsServer = dnsServers[0]!;
    const dnsPod = await this.#dnsPodIPs();
    const serviceIPs = new Map<PodRef, string>();
    const serviceNames = new Map<PodRef, string>();
    const dual = isDualStack(topology);
    const pods = topology.pods.map((p): PodSpec => {
      const ref = podRefOf(p);
      const clusterNs = namespaces.clusterName(p.namespace);
      if (p.system) return { ...p, ip: dnsPod?.[0] ?? p.ip, ...(dual && { ips: dnsPod ?? [p.ip] }), serviceIP: dnsServer, ...(dual && { serviceIPs: dnsServers }) };
      const ips = podIPs.get(`${clusterNs}/${p.name}`);
      if (!ips) throw new EnvironmentError(`pod ${ref} has no IP after becoming Ready`, 'inspect the pod with kubectl describe');
      const sips = services.get(`${clusterNs}/${p.name}`);
      if (sips) {
        serviceIPs.set(ref, sips[0]!);
        serviceNames.set(ref, serviceFqdn(p.name, clusterNs, topology.clusterDomain));
      }
      const { serviceIP: _planned, serviceIPs: _plannedAll, ips: _plannedIPs, ...rest } = p;
      return { ...rest, ip: ips[0]!, ...(dual && { ips: withPlanned(ips, p.ips) }), ...(sips && { serviceIP: sips[0]!, ...(dual && { serviceIPs: withPlanned(sips, p.serviceIPs) }) }) };
    });
    const perFamily = topology.perFamily?.map((a) => ({ ...a, dnsServiceIP: addressOfFamily(dnsServers, a.family) ?? a.dnsServiceIP }));
    const real: Topology = { ...topology, pods, dnsServiceIP: dnsServer, ...(perFamily && { perFamily }) };
    const podIPByRef = new Map<PodRef, string>(pods.map((p) => [podRefOf(p), p.ip]));
    const realExternals = new Map(this.capabilities.realExternals ? topology.externals.filter((e) => e.real).map((e) => [e.name, e.ip] as const) : []);
    const addresses: KubeAddresses = { podIPs: podIPByRef, serviceIPs, serviceNames, dnsServer, realExternals };
    const present = topologyFamilies(topology).filter((f) => addressOfFamily(dnsServers, f) !== undefined && [...podIPs.values()].every((ips) => addressOfFamily(ips, f) !== undefined));
    return { topology: real, addresses: new KubeAddressBook(addresses, dual ? familyAddresses(real, addresses, dnsServers, present) : undefined) };
  }

  /** One list of the run's pods across its namespaces per poll (not one per namespace), polled quickly at first, then every 2 s. */
  async #waitPodsReady(m: Manifests): Promise<Map<string, readonly string[]>> {
    const expected = new Set(m.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
    const injected = new Set(m.namespaces.filter((n) => n.metadata.labels?.[ISTIO_MESH.injectionLabel] === 'enabled').map((n) => n.metadata.name));
    const expectedInjection = new Map(m.pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, injected.has(p.metadata.namespace ?? '')]));
    const r = await pollUntil(
      async () => {
        const ips = new Map<string, readonly string[]>();
        const notReady: string[] = [];
        for (const pod of await this.#o.api.list('v1', 'Pod', { labelSelector: `${NETSEG_LABELS.runId}=${this.#o.runId}` })) {
          const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
          if (!expected.has(key)) continue;
          const ready = podReadiness(pod);
          if (this.#o.mesh === 'istio') requireSidecar(pod, expectedInjection.get(key) ?? false);
          if (ready.ready && ready.ip) ips.set(key, ready.ips ?? [ready.ip]);
          else notReady.push(ready.reason);
        }
        const missing = [...expected].filter((k) => !ips.has(k) && !notReady.some((r) => r.includes(k)));
        if (ips.size === expected.size) return { done: true, value: ips };
        return { done: false, reason: [...notReady, ...missing.map((k) => `${k} not created yet`)].slice(0, 5).join('; ') };
      },
      { clock: this.#clock, timeoutMs: this.#o.readyTimeoutMs ?? 180_000, intervalMs: this.#o.pollIntervalMs ?? 250, maxIntervalMs: 2000 },
    );
    if (!r.ok) {
      throw new EnvironmentError(
        `probe pods not ready after ${Math.round((this.#o.readyTimeoutMs ?? 180_000) / 1000)} s: ${r.lastReason}`,
        `check that nodes can pull ${this.#o.image} (or pass --image) and inspect the pods with kubectl describe`,
      );
    }
    return r.value;
  }

  /** Every ClusterIP of kube-dns, the primary first (two on a dual-stack cluster). */
  async #dnsServiceIPs(): Promise<readonly string[]> {
    const svc = await this.#o.api.read({ apiVersion: 'v1', kind: 'Service', name: 'kube-dns', namespace: 'kube-system' });
    const ips = svc ? clusterIPsOf(svc) : [];
    if (ips.length > 0) return ips;
    throw new EnvironmentError('the cluster has no kube-system/kube-dns Service', 'netseg uses the cluster DNS (CoreDNS behind the kube-dns Service); install it');
  }

  async #dnsPodIPs(): Promise<readonly string[] | undefined> {
    const pods = await this.#o.api.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' });
    const ready = pods.map(podReadiness).find((r) => r.ready && r.ip);
    return ready ? (ready.ips ?? [ready.ip!]) : undefined;
  }

  async #syncLabels(topology: Topology, current: Current): Promise<void> {
    const ns = current.namespaces;
    for (const n of topology.namespaces) {
      if (!ns.isManaged(n.name)) continue;
      await this.#patchLabels({ apiVersion: 'v1', kind: 'Namespace', name: ns.clusterName(n.name) }, namespaceLabels(n.name, n.labels, ns, this.#o.mesh), current);
    }
    for (const p of topology.pods) {
      if (p.system || !ns.isManaged(p.namespace)) continue;
      await this.#patchLabels({ apiVersion: 'v1', kind: 'Pod', name: p.name, namespace: ns.clusterName(p.namespace) }, podLabels(p, ns), current);
    }
  }

  async #patchLabels(ref: ObjectRef, desired: Record<string, string>, current: Current): Promise<void> {
    const key = labelKey(ref);
    const before = current.labels.get(key) ?? {};
    const patch: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(desired)) if (before[k] !== v) patch[k] = v;
    for (const k of Object.keys(before)) if (!(k in desired)) patch[k] = null;
    if (Object.keys(patch).length === 0) return;
    await this.#o.api.patchLabels(ref, patch);
    current.labels.set(key, { ...desired });
  }

  /**
   * Deletes a deployment's cluster-scoped policies (no namespace deletion takes them along) and its
   * namespaces (without waiting: the next deploy uses new names) unless it is gone already.
   */
  async #undeploy(current: Current): Promise<void> {
    if (this.#current !== current) return;
    this.#current = undefined;
    for (const { ref } of current.policies.values()) if (ref.namespace === undefined) await this.#o.api.delete(ref);
    for (const name of current.clusterNamespaces) await this.#o.api.delete({ apiVersion: 'v1', kind: 'Namespace', name });
  }

  /** The sidecar in front of a pod's agent: only under `--mesh istio`, only in an injected namespace. */
  #clientSidecar(current: Current, ref: PodRef): ClientSidecar | undefined {
    if (this.#o.mesh !== 'istio' || !current.meshed.has(ref.slice(0, ref.indexOf('/')))) return undefined;
    return { name: `the ${ISTIO_MESH.sidecar} sidecar`, upstreamConnectTimeoutMs: this.#o.meshConnectTimeoutMs ?? ISTIO_MESH.defaultConnectTimeoutMs };
  }

  #locate(current: Current, ref: PodRef): { namespace: string; pod: string } {
    this.#require(current);
    const slash = ref.indexOf('/');
    return { namespace: current.namespaces.clusterName(ref.slice(0, slash)), pod: ref.slice(slash + 1) };
  }

  /** A stale handle must not touch the cluster on behalf of a deployment that is gone. */
  #require(current: Current): void {
    if (this.#current !== current) throw new Error('this scenario is no longer deployed');
  }
}

/**
 * A pod of an injection-enabled namespace must carry Istio's sidecar once it exists: without one
 * (the webhook was not called, e.g. istiod gone or the namespace label missing) its cells would
 * silently bypass every AuthorizationPolicy. Pods of other namespaces (the canary's) must not.
 */
function requireSidecar(pod: KubeObject, expected: boolean): void {
  const spec = (pod as { spec?: { containers?: { name?: string }[]; initContainers?: { name?: string }[] } }).spec;
  const has = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].some((c) => c.name === ISTIO_MESH.sidecar);
  if (has === expected) return;
  const name = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  if (expected) throw new EnvironmentError(`pod ${name} has no ${ISTIO_MESH.sidecar} sidecar although its namespace is labelled ${ISTIO_MESH.injectionLabel}=enabled`, `check istiod and its injection webhook: kubectl -n ${ISTIO_MESH.namespace} get pods,mutatingwebhookconfigurations`);
  throw new EnvironmentError(`pod ${name} got an ${ISTIO_MESH.sidecar} sidecar although netseg did not enable injection for its namespace`, 'the cluster injects sidecars by other means (a revision label, a mesh-wide default); the enforcement canary cannot run behind a sidecar');
}

/** The manifests as applied, with the agent script (the same bundle in every ConfigMap) reduced to its size. */
function manifestsYaml(m: Manifests): string {
  const configMaps = m.configMaps.map((c) => {
    const data = (c as { data?: Record<string, string> }).data ?? {};
    return { ...c, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, `<${Buffer.byteLength(v)} bytes: the netseg agent bundle>`])) };
  });
  return yamlDocuments([...m.namespaces, ...configMaps, ...m.serviceAccounts, ...m.services, ...m.pods]);
}

function yamlDocuments(objects: readonly object[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

function labelKey(ref: ObjectRef): string {
  return `${ref.kind}:${ref.namespace ?? ''}/${ref.name}`;
}

/**
 * The cluster's addresses, then the planned ones of the families the cluster gave none of (a
 * single-stack cluster): placeholders such as `{{podIP x/a IPv6}}` still resolve, to an address
 * nothing has, while the cells of that family are skipped.
 */
function withPlanned(real: readonly string[], planned: readonly string[] | undefined): string[] {
  return [...real, ...(planned ?? []).filter((a) => !real.some((r) => familyOf(r) === familyOf(a)))];
}

/** A Service's ClusterIPs, the primary first (`clusterIPs` on a dual-stack cluster); none for a headless one. */
function clusterIPsOf(service: KubeObject): string[] {
  const spec = (service as { spec?: { clusterIP?: string; clusterIPs?: string[] } }).spec;
  const ips = spec?.clusterIPs ?? (spec?.clusterIP ? [spec.clusterIP] : []);
  return ips.filter((ip) => ip !== 'None');
}

/** The scenario namespaces created with sidecar injection (their pods get a client sidecar). */
function meshedNamespaces(m: Manifests): ReadonlySet<string> {
  return new Set(m.namespaces.filter((n) => n.metadata.labels?.[ISTIO_MESH.injectionLabel] === 'enabled').map((n) => n.metadata.labels?.[NETSEG_LABELS.namespace] ?? ''));
}

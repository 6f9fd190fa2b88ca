import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { KubeObject } from '../../../src/providers/kube/kube-api.js';
import { cleanupNetns } from '../../../src/providers/netns/cleanup-netns.js';
import { netnsNames } from '../../../src/providers/netns/netns-names.js';
import { NETNS_POLICY_KINDS } from '../../../src/providers/netns/layers/layer-modules.js';
import { CLUSTER_NETWORK_POLICY_CRD_NAME } from '../../../src/providers/kube/cluster-network-policy-crd.js';
import { LoopbackApiServer, type CallCounts } from './api-server.js';
import { CLUSTER_DNS, NetnsKubelet } from './netns-kubelet.js';
import { KIND_LIKE_NODES, type FakeNode } from './node-plan.js';
import { ObjectStore, RESOURCES } from './object-store.js';

/** Options of the netns-backed fake cluster. */
export interface NetnsClusterOptions {
  /** The bundled agent (dist/agent/netseg-agent.mjs): the fake CoreDNS runs it as `dns`. */
  readonly agentBundle: string;
  readonly nodes?: readonly FakeNode[];
  /** Node binary standing in for the probe image's `node` (default: this one). */
  readonly nodePath?: string;
  readonly log?: (message: string) => void;
  /**
   * Whether the cluster serves the ClusterNetworkPolicy CRD (default: exactly when the netns
   * datapath, which enforces the fake's policies, has a ClusterNetworkPolicy layer): a cluster
   * must not take policies its datapath would ignore.
   */
  readonly clusterNetworkPolicy?: boolean;
}

/** A running fake cluster. */
export interface NetnsCluster {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** A kubeconfig file with the single context `context`. */
  readonly kubeconfig: string;
  readonly context: string;
  /** Id naming its network namespaces (`netseg-<id>-node`, `netseg-<id>-p<N>`) and nft table. */
  readonly id: string;
  readonly store: ObjectStore;
  /** API calls answered so far, by verb and resource ("exec pods" counts execs). */
  readonly calls: CallCounts;
  /** Ruleset renders that failed (expected empty). */
  readonly renderErrors: readonly string[];
  /** Stops everything: pods, execs, namespaces, the listener, the scratch directory. */
  stop(): Promise<void>;
}

const CONTEXT = 'netseg-fake';

/**
 * Starts a TEST DOUBLE of a Kubernetes cluster (never a provider users pick): a loopback API
 * server whose pods are netns hosts, spread over three kind-like nodes with a /24 each, with a
 * CoreDNS pod and the kube-dns Service. Point `--provider kubeconfig --kubeconfig <kubeconfig>
 * --context netseg-fake` at it to run the whole Kubernetes path with real packets. Needs root.
 */
export async function startNetnsCluster(options: NetnsClusterOptions): Promise<NetnsCluster> {
  const id = `fk${randomBytes(3).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), `netseg-fake-${id}-`));
  const store = new ObjectStore();
  const nodes = options.nodes ?? KIND_LIKE_NODES;
  const kubelet = new NetnsKubelet({ store, names: netnsNames(id), dir, nodes, nodePath: options.nodePath ?? process.execPath, ...(options.log ? { log: options.log } : {}) });
  const server = new LoopbackApiServer(store, (q) => kubelet.exec(q), () => kubelet.settled());
  let url: string;
  try {
    await kubelet.start();
    seedCluster(store, nodes, options.agentBundle, kubelet.recordsDir());
    if (options.clusterNetworkPolicy ?? NETNS_POLICY_KINDS.includes('ClusterNetworkPolicy')) seedClusterNetworkPolicyCrd(store);
    url = await server.start();
  } catch (e) {
    await teardown(kubelet, server, id, dir, false);
    throw e;
  }
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigYaml(url));
  return {
    url,
    kubeconfig,
    context: CONTEXT,
    id,
    store,
    calls: server.calls,
    renderErrors: kubelet.renderErrors,
    stop: () => teardown(kubelet, server, id, dir, true),
  };
}

async function teardown(kubelet: NetnsKubelet, server: LoopbackApiServer, id: string, dir: string, listening: boolean): Promise<void> {
  if (listening) await server.stop().catch(() => {});
  await kubelet.stop().catch(() => {});
  // Backstop for anything a half-started pod left: only this cluster's namespaces and processes.
  await cleanupNetns({ runId: id }).catch(() => {});
  await rm(dir, { recursive: true, force: true });
}

/** The ClusterNetworkPolicy CRD as network-policy-api's release manifest leaves it once Established (the fields netseg reads). */
export function seedClusterNetworkPolicyCrd(store: ObjectStore): void {
  const resource = RESOURCES.find((r) => r.kind === 'CustomResourceDefinition') as (typeof RESOURCES)[number];
  const annotations = { 'policy.networking.k8s.io/bundle-version': 'v0.2.0', 'policy.networking.k8s.io/channel': 'experimental' };
  const spec = { group: 'policy.networking.k8s.io', scope: 'Cluster', names: { kind: 'ClusterNetworkPolicy', plural: 'clusternetworkpolicies' }, versions: [{ name: 'v1alpha2', served: true, storage: true }] };
  store.apply(resource, undefined, CLUSTER_NETWORK_POLICY_CRD_NAME, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: CLUSTER_NETWORK_POLICY_CRD_NAME, annotations }, spec });
  store.setStatus('CustomResourceDefinition', undefined, CLUSTER_NETWORK_POLICY_CRD_NAME, undefined, { conditions: [{ type: 'Established', status: 'True' }] });
}

/** What a fresh kind cluster has before anyone uses it: Ready nodes, kube-system, CoreDNS behind kube-dns. */
function seedCluster(store: ObjectStore, nodes: readonly FakeNode[], agentBundle: string, recordsDir: string): void {
  const resource = (kind: string) => RESOURCES.find((r) => r.kind === kind) as (typeof RESOURCES)[number];
  for (const n of nodes) {
    store.apply(resource('Node'), undefined, n.name, { apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name } }, spec: { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR] } });
    store.setStatus('Node', undefined, n.name, undefined, { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] });
  }
  store.apply(resource('Namespace'), undefined, 'kube-system', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  const dnsPorts = [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  ];
  store.apply(resource('Service'), 'kube-system', 'kube-dns', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: { clusterIP: CLUSTER_DNS.dnsServiceIP, selector: { 'k8s-app': 'kube-dns' }, ports: dnsPorts.map((p) => ({ ...p, targetPort: p.port })) },
  });
  store.apply(resource('Pod'), 'kube-system', 'coredns', corednsPod(agentBundle, recordsDir, dnsPorts));
}

/** The fake CoreDNS: the netseg agent's `dns` command serving the kubelet's records file. */
function corednsPod(agentBundle: string, recordsDir: string, ports: readonly { name: string; port: number; protocol: string }[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      containers: [
        {
          name: 'coredns',
          command: ['node', `/agent/${basename(agentBundle)}`, 'dns', '--identity', 'kube-system/coredns', '--records', '/records/records.json', '--ready-file', '/tmp/ready'],
          ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
          readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] } },
          volumeMounts: [
            { name: 'agent', mountPath: '/agent' },
            { name: 'records', mountPath: '/records' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: 'agent', hostPath: { path: dirname(agentBundle) } },
        { name: 'records', hostPath: { path: recordsDir } },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  };
}

function kubeconfigYaml(url: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${CONTEXT}`,
    'clusters:',
    `- name: ${CONTEXT}`,
    // client-node refuses plain HTTP unless TLS verification is off; the server is loopback-only.
    `  cluster: { server: "${url}", insecure-skip-tls-verify: true }`,
    'users:',
    `- name: ${CONTEXT}`,
    '  user: { token: fake }',
    'contexts:',
    `- name: ${CONTEXT}`,
    `  context: { cluster: ${CONTEXT}, user: ${CONTEXT} }`,
    '',
  ].join('\n');
}

import { isDualStack, NAMESPACE_NAME_LABEL, podRefOf, serviceAccountOf, topologyFamilies, type ContainerPort, type PodSpec, type Topology } from '../../model/index.js';
import { ISTIO_MESH, type Mesh } from './istio-mesh.js';
import type { KubeObject } from './kube-api.js';
import { NETSEG_LABELS } from './netseg-labels.js';
import type { RunNamespaces } from './run-namespaces.js';

/** Where the agent bundle is mounted in probe pods, and the ready file it writes. */
export const AGENT_MOUNT = { dir: '/netseg', file: 'netseg-agent.mjs', readyFile: '/tmp/netseg-ready', configMap: 'netseg-agent' } as const;

/** Inputs of manifest generation besides the topology. */
export interface ManifestOptions {
  readonly namespaces: RunNamespaces;
  /** Probe image (an official Node image). */
  readonly image: string;
  /** The bundled agent's source, mounted from a ConfigMap in every namespace. */
  readonly agentScript: string;
  /** `istio`: namespaces are labelled for sidecar injection (default none). */
  readonly mesh?: Mesh;
}

/** Every object one scenario deployment creates, in creation order. */
export interface Manifests {
  readonly namespaces: readonly KubeObject[];
  readonly configMaps: readonly KubeObject[];
  /** The service accounts pods run as (other than `default`, which every namespace has) and those the topology lists with labels. */
  readonly serviceAccounts: readonly KubeObject[];
  readonly services: readonly KubeObject[];
  readonly pods: readonly KubeObject[];
}

/** ConfigMaps hold at most 1 MiB; the agent bundle must fit. */
const CONFIG_MAP_LIMIT = 1024 * 1024;

/**
 * Kubernetes objects for a topology (pure): a namespace per scenario namespace, the agent ConfigMap in
 * each, one hardened probe pod per non-system pod, and a ClusterIP Service per pod that has one.
 * System pods (the cluster DNS) are the cluster's own and produce nothing.
 */
export function buildManifests(topology: Topology, options: ManifestOptions): Manifests {
  if (Buffer.byteLength(options.agentScript) > CONFIG_MAP_LIMIT - 4096) {
    throw new Error(`agent bundle is ${Buffer.byteLength(options.agentScript)} bytes; a ConfigMap holds at most 1 MiB`);
  }
  const ns = options.namespaces;
  const managed = topology.namespaces.filter((n) => ns.isManaged(n.name));
  const pods = topology.pods.filter((p) => !p.system && ns.isManaged(p.namespace));
  return {
    namespaces: managed.map((n) => namespaceManifest(n.name, n.labels, ns, options.mesh)),
    configMaps: managed.map((n) => agentConfigMap(ns.clusterName(n.name), ns.runId, options.agentScript)),
    serviceAccounts: serviceAccountManifests(topology, pods, ns),
    services: pods.filter((p) => p.service && servicePorts(p).length > 0).map((p) => serviceManifest(p, ns, topology)),
    pods: pods.map((p) => podManifest(p, ns, options.image)),
  };
}

/**
 * Labels of a cluster namespace: the scenario's, with the name label naming the cluster namespace;
 * with `mesh: istio` also Istio's injection label, so the pods created next get sidecars. The
 * enforcement canary's namespace is never injected: it proves the CNI drops packets, which a client
 * sidecar would hide (it accepts the connection itself and closes it when the upstream is dropped).
 */
export function namespaceLabels(scenarioName: string, labels: Readonly<Record<string, string>>, ns: RunNamespaces, mesh: Mesh = 'none'): Record<string, string> {
  const inject = mesh === 'istio' && labels[NETSEG_LABELS.canary] !== 'true';
  return { ...labels, [NAMESPACE_NAME_LABEL]: ns.clusterName(scenarioName), [NETSEG_LABELS.runId]: ns.runId, [NETSEG_LABELS.namespace]: scenarioName, ...(inject && { [ISTIO_MESH.injectionLabel]: 'enabled' }) };
}

/** Labels of a probe pod: the scenario's plus netseg's own (run id, pod name for the Service selector). */
export function podLabels(pod: Pick<PodSpec, 'name' | 'labels'>, ns: RunNamespaces): Record<string, string> {
  return { ...pod.labels, [NETSEG_LABELS.runId]: ns.runId, [NETSEG_LABELS.pod]: pod.name };
}

function namespaceManifest(name: string, labels: Readonly<Record<string, string>>, ns: RunNamespaces, mesh: Mesh | undefined): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.clusterName(name), labels: namespaceLabels(name, labels, ns, mesh) } };
}

/** One ServiceAccount per (namespace, name) that a pod uses or the topology labels; `default` only when it has labels to add. */
function serviceAccountManifests(topology: Topology, pods: readonly PodSpec[], ns: RunNamespaces): KubeObject[] {
  const labelsOf = new Map<string, Readonly<Record<string, string>>>();
  for (const sa of topology.serviceAccounts ?? []) if (ns.isManaged(sa.namespace)) labelsOf.set(`${sa.namespace}/${sa.name}`, sa.labels);
  for (const p of pods) if (p.serviceAccount !== undefined && p.serviceAccount !== 'default') labelsOf.set(`${p.namespace}/${p.serviceAccount}`, labelsOf.get(`${p.namespace}/${p.serviceAccount}`) ?? {});
  return [...labelsOf].map(([key, labels]) => {
    const [namespace = '', name = ''] = key.split('/');
    return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns.clusterName(namespace), labels: { ...labels, [NETSEG_LABELS.runId]: ns.runId } }, automountServiceAccountToken: false };
  });
}

function agentConfigMap(namespace: string, runId: string, script: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: AGENT_MOUNT.configMap, namespace, labels: { [NETSEG_LABELS.runId]: runId } },
    data: { [AGENT_MOUNT.file]: script },
  };
}

function podManifest(pod: PodSpec, ns: RunNamespaces, image: string): KubeObject {
  // The agent serves an appProtocol http port as HTTP too (`/HTTP`).
  const listen = pod.ports.map((p) => `${p.port}/${p.appProtocol === 'http' ? 'HTTP' : p.protocol}`).join(',');
  const command = ['node', `${AGENT_MOUNT.dir}/${AGENT_MOUNT.file}`, 'serve', '--identity', podRefOf(pod), '--ready-file', AGENT_MOUNT.readyFile];
  if (listen) command.push('--listen', listen);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.name, namespace: ns.clusterName(pod.namespace), labels: podLabels(pod, ns) },
    spec: {
      ...(pod.serviceAccount !== undefined && { serviceAccountName: serviceAccountOf(pod) }),
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 0,
      restartPolicy: 'Always',
      securityContext: {
        runAsNonRoot: true,
        // uid/gid of the "node" user of the official image.
        runAsUser: 1000,
        runAsGroup: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
        // Lets the non-root agent bind scenario ports below 1024 without any capability (a "safe" sysctl since Kubernetes 1.22).
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
      },
      containers: [
        {
          name: NETSEG_LABELS.container,
          image,
          imagePullPolicy: 'IfNotPresent',
          command,
          ports: pod.ports.map(containerPort),
          // Every exec probe is a runtime exec on the node (tens of ms of CPU): every 2 s, not every
          // second, halves that load on a small runner for at most a second more until Ready.
          readinessProbe: { exec: { command: ['test', '-f', AGENT_MOUNT.readyFile] }, periodSeconds: 2, failureThreshold: 3 },
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '192Mi' } },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [
            { name: 'agent', mountPath: AGENT_MOUNT.dir, readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: 'agent', configMap: { name: AGENT_MOUNT.configMap } },
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } },
      ],
    },
  };
}

function containerPort(p: ContainerPort): Record<string, unknown> {
  return { containerPort: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) };
}

function servicePorts(pod: PodSpec): readonly ContainerPort[] {
  return pod.ports;
}

function serviceManifest(pod: PodSpec, ns: RunNamespaces, topology: Topology): KubeObject {
  // A dual-stack scenario asks for a ClusterIP per family, the scenario's primary first; Prefer (not
  // Require) so a single-stack cluster still serves the primary family (the other's cells are skipped).
  const families = isDualStack(topology) ? { ipFamilyPolicy: 'PreferDualStack', ipFamilies: [...topologyFamilies(topology)] } : {};
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: pod.name, namespace: ns.clusterName(pod.namespace), labels: { [NETSEG_LABELS.runId]: ns.runId, [NETSEG_LABELS.pod]: pod.name } },
    spec: {
      type: 'ClusterIP',
      ...families,
      selector: { [NETSEG_LABELS.runId]: ns.runId, [NETSEG_LABELS.pod]: pod.name },
      ports: servicePorts(pod).map((p) => ({ name: servicePortName(p), port: p.port, targetPort: p.port, protocol: p.protocol, ...(isHttp(p) && { appProtocol: 'http' }) })),
    },
  };
}

/**
 * Service port names must be unique DNS labels when a Service has several ports. An HTTP port is
 * named `http-<port>` besides its `appProtocol: http`: Istio selects the protocol from either
 * (appProtocol first, then the `http-` name prefix), so a mesh reading only names agrees too.
 */
function servicePortName(p: ContainerPort): string {
  return `${isHttp(p) ? 'http' : p.protocol.toLowerCase()}-${p.port}`;
}

/** A TCP port the agent serves HTTP on. */
function isHttp(p: ContainerPort): boolean {
  return p.appProtocol === 'http' && p.protocol === 'TCP';
}

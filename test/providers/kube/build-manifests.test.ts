import { expect } from 'chai';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { stringify } from 'yaml';
import { ConfigMap, Namespace, Pod, Service, ServiceAccount } from 'kubernetes-models/v1';
import { NetworkPolicy as NetworkPolicyModel } from 'kubernetes-models/networking.k8s.io/v1';
import { buildManifests, namespaceLabels } from '../../../src/providers/kube/build-manifests.js';
import { rewritePolicy } from '../../../src/providers/kube/rewrite-policy.js';
import { RunNamespaces } from '../../../src/providers/kube/run-namespaces.js';
import { DEFAULT_PROBE_IMAGE } from '../../../src/providers/kube/probe-image.js';
import type { KubeObject } from '../../../src/providers/kube/kube-api.js';
import { crossNamespacePolicy, smallTopology } from './fixtures.js';

const GOLDEN = new URL('../../golden/kube/small-topology.yaml', import.meta.url);
const AGENT = '// agent bundle stand-in for manifest tests\nconsole.log("agent");\n';

/** Validates an object against the Kubernetes OpenAPI schema shipped by kubernetes-models (throws on violations). */
function validate(o: KubeObject): void {
  const data = o as never;
  switch (o.kind) {
    case 'Namespace': new Namespace(data).validate(); break;
    case 'ConfigMap': new ConfigMap(data).validate(); break;
    case 'Service': new Service(data).validate(); break;
    case 'Pod': new Pod(data).validate(); break;
    case 'ServiceAccount': new ServiceAccount(data).validate(); break;
    case 'NetworkPolicy': new NetworkPolicyModel(data).validate(); break;
    default: throw new Error(`no schema for ${o.kind}`);
  }
}

function build() {
  const topology = smallTopology();
  const namespaces = new RunNamespaces('r1a2b3', 1, topology);
  return { namespaces, manifests: buildManifests(topology, { namespaces, image: DEFAULT_PROBE_IMAGE, agentScript: AGENT }) };
}

describe('buildManifests()', () => {
  it('should produce objects that validate against the Kubernetes API schema', () => {
    const { manifests, namespaces } = build();
    const all = [...manifests.namespaces, ...manifests.configMaps, ...manifests.services, ...manifests.pods, rewritePolicy(crossNamespacePolicy(), namespaces) as unknown as KubeObject];
    expect(all).to.have.length(2 + 2 + 2 + 3 + 1);
    for (const o of all) expect(() => validate(o), `${o.kind} ${o.metadata.name}`).not.to.throw();
  });

  it('should create the service accounts pods run as and those with labels, and set serviceAccountName on their pods', () => {
    const base = smallTopology();
    const topology = {
      ...base,
      pods: base.pods.map((p) => (p.namespace === 'x' && p.name === 'a' ? { ...p, serviceAccount: 'api' } : p.namespace === 'x' && p.name === 'b' ? { ...p, serviceAccount: 'default' } : p)),
      serviceAccounts: [{ namespace: 'y', name: 'web', labels: { tier: 'front' } }, { namespace: 'x', name: 'api', labels: { tier: 'back' } }],
    };
    const namespaces = new RunNamespaces('r1a2b3', 1, topology);
    const manifests = buildManifests(topology, { namespaces, image: DEFAULT_PROBE_IMAGE, agentScript: AGENT });
    expect(manifests.serviceAccounts.map((a) => [`${a.metadata.namespace}/${a.metadata.name}`, a.metadata.labels])).to.deep.equal([
      ['r1a2b3-1-y/web', { tier: 'front', 'netseg.io/run-id': 'r1a2b3' }],
      ['r1a2b3-1-x/api', { tier: 'back', 'netseg.io/run-id': 'r1a2b3' }],
    ]);
    const accountOf = (name: string) => (manifests.pods.find((p) => p.metadata.namespace === 'r1a2b3-1-x' && p.metadata.name === name) as unknown as { spec: { serviceAccountName?: string } }).spec.serviceAccountName;
    expect([accountOf('a'), accountOf('b')]).to.deep.equal(['api', 'default']);
    expect(manifests.pods.find((p) => p.metadata.namespace === 'r1a2b3-1-y')).to.not.have.nested.property('spec.serviceAccountName');
    for (const o of [...manifests.serviceAccounts, ...manifests.pods]) expect(() => validate(o), `${o.kind} ${o.metadata.name}`).not.to.throw();
  });

  it('should make the schema validator reject a broken manifest (the check can fail)', () => {
    const { manifests } = build();
    const pod = structuredClone(manifests.pods[0]) as { spec: { containers: { ports: { containerPort: unknown }[] }[] } } & KubeObject;
    pod.spec.containers[0]!.ports[0]!.containerPort = 'eighty';
    expect(() => validate(pod)).to.throw();
  });

  it('should create nothing for system pods and their namespace (the cluster DNS is the cluster\'s own)', () => {
    const { manifests } = build();
    expect(manifests.namespaces.map((n) => n.metadata.name)).to.deep.equal(['r1a2b3-1-x', 'r1a2b3-1-y']);
    expect(manifests.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).to.deep.equal(['r1a2b3-1-x/a', 'r1a2b3-1-x/b', 'r1a2b3-1-y/a']);
    expect(manifests.services.map((s) => s.metadata.name)).to.deep.equal(['a', 'b']);
  });

  it('should label namespaces with the run id, keep scenario labels and name the cluster namespace in kubernetes.io/metadata.name', () => {
    const { manifests } = build();
    expect(manifests.namespaces[0]!.metadata.labels).to.deep.equal({
      'kubernetes.io/metadata.name': 'r1a2b3-1-x', team: 'blue', 'netseg.io/run-id': 'r1a2b3', 'netseg.io/namespace': 'x',
    });
  });

  it('should harden probe pods and carry the scenario port names', () => {
    const pod = build().manifests.pods[0] as unknown as { spec: Record<string, never> & { containers: Record<string, unknown>[]; securityContext: Record<string, unknown> } };
    const c = pod.spec.containers[0]!;
    expect(pod.spec).to.include({ automountServiceAccountToken: false, terminationGracePeriodSeconds: 0 });
    expect(pod.spec.securityContext).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).to.deep.include({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.readinessProbe).to.have.property('exec');
    expect(c.ports).to.deep.include({ containerPort: 80, protocol: 'TCP', name: 'serve-80-tcp' });
    expect(c.command).to.deep.equal(['node', '/netseg/netseg-agent.mjs', 'serve', '--identity', 'x/a', '--ready-file', '/tmp/netseg-ready', '--listen', '80/TCP,80/UDP,53/UDP']);
    expect(c.image).to.equal(DEFAULT_PROBE_IMAGE);
  });

  it('should map every pod port 1:1 on its ClusterIP Service, selecting on netseg labels only', () => {
    const svc = build().manifests.services[0] as unknown as { spec: { type: string; selector: Record<string, string>; ports: unknown[] } };
    expect(svc.spec.type).to.equal('ClusterIP');
    expect(svc.spec.selector).to.deep.equal({ 'netseg.io/run-id': 'r1a2b3', 'netseg.io/pod': 'a' });
    expect(svc.spec.ports).to.deep.equal([
      { name: 'tcp-80', port: 80, targetPort: 80, protocol: 'TCP' },
      { name: 'udp-80', port: 80, targetPort: 80, protocol: 'UDP' },
      { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
    ]);
  });

  it('should ask for a ClusterIP per family, in the scenario\'s order, for a dual-stack scenario (and validate), and nothing of the kind otherwise', () => {
    const topology = { ...smallTopology(), ipFamilies: ['IPv6', 'IPv4'] as const };
    const namespaces = new RunNamespaces('r1a2b3', 1, topology);
    const svc = buildManifests(topology, { namespaces, image: DEFAULT_PROBE_IMAGE, agentScript: AGENT }).services[0]!;
    expect((svc as unknown as { spec: Record<string, unknown> }).spec).to.deep.include({ ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6', 'IPv4'] });
    validate(svc);
    expect((build().manifests.services[0] as unknown as { spec: Record<string, unknown> }).spec).not.to.have.property('ipFamilyPolicy');
  });

  it('should mark HTTP ports of a Service with appProtocol http and an http- name (Istio reads either), other ports as before', () => {
    const topology = smallTopology();
    const pods = topology.pods.map((p) => (p.name === 'a' && p.namespace === 'x' ? { ...p, ports: p.ports.map((q) => (q.protocol === 'TCP' ? { ...q, appProtocol: 'http' as const } : q)) } : p));
    const namespaces = new RunNamespaces('r1a2b3', 1, topology);
    const svc = buildManifests({ ...topology, pods }, { namespaces, image: DEFAULT_PROBE_IMAGE, agentScript: AGENT }).services[0]!;
    expect((svc as unknown as { spec: { ports: unknown[] } }).spec.ports).to.deep.equal([
      { name: 'http-80', port: 80, targetPort: 80, protocol: 'TCP', appProtocol: 'http' },
      { name: 'udp-80', port: 80, targetPort: 80, protocol: 'UDP' },
      { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
    ]);
    validate(svc);
  });

  it('should label namespaces for Istio sidecar injection only with mesh istio, and never the enforcement canary\'s', () => {
    const topology = smallTopology();
    const namespaces = new RunNamespaces('r1a2b3', 1, topology);
    const labelsOf = (mesh: 'istio' | undefined) => buildManifests(topology, { namespaces, image: DEFAULT_PROBE_IMAGE, agentScript: AGENT, ...(mesh && { mesh }) }).namespaces.map((n) => n.metadata.labels?.['istio-injection']);
    expect(labelsOf('istio')).to.deep.equal(['enabled', 'enabled']);
    expect(labelsOf(undefined)).to.deep.equal([undefined, undefined]);
    expect(namespaceLabels('canary', { 'netseg.io/canary': 'true' }, namespaces, 'istio')).not.to.have.property('istio-injection');
  });

  it('should refuse an agent bundle too large for a ConfigMap', () => {
    const topology = smallTopology();
    const namespaces = new RunNamespaces('r1', 1, topology);
    expect(() => buildManifests(topology, { namespaces, image: 'node:24-alpine', agentScript: 'x'.repeat(1024 * 1024) })).to.throw(/1 MiB/);
  });

  it('should match the golden file test/golden/kube/small-topology.yaml', () => {
    const { manifests, namespaces } = build();
    const docs = [...manifests.namespaces, ...manifests.configMaps, ...manifests.services, ...manifests.pods, rewritePolicy(crossNamespacePolicy(), namespaces)];
    const text = docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    expect(existsSync(GOLDEN), 'golden file missing: run with UPDATE_GOLDEN=1').to.equal(true);
    expect(text).to.equal(readFileSync(GOLDEN, 'utf8'));
  });
});

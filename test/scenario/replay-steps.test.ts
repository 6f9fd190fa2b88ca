import { expect } from 'chai';
import type { NetworkPolicy, Topology } from '../../src/model/index.js';
import { loadScenarioFile, replaySteps, resolvePolicy } from '../../src/scenario/index.js';

const FILE = 'test/fixtures/scenarios/valid/grid-deny.yaml';

describe('replaySteps', () => {
  it('should return one state per step with apply, replace, delete and relabel applied in order', async () => {
    const s = await loadScenarioFile(FILE);
    const states = replaySteps(s);
    expect(states).to.have.length(s.steps.length);
    expect(states[0]!.policies).to.deep.equal([]);
    expect(states[1]!.policies.map((p) => p.metadata.name)).to.deep.equal(['web-deny']);
    // replace keeps the position of the replaced policy and changes its spec
    expect(states[2]!.policies.map((p) => p.metadata.name)).to.deep.equal(['web-deny', 'allow-from-pod']);
    expect((states[2]!.policies[0] as NetworkPolicy).spec.podSelector).to.deep.equal({ matchLabels: { app: 'nobody' } });
    const xb = states[2]!.topology.pods.find((p) => p.namespace === 'x' && p.name === 'b')!;
    expect(xb.labels).to.deep.equal({ pod: 'b', role: 'client' });
    expect(states[3]!.policies).to.deep.equal([]);
    expect(states[3]!.topology.namespaces.find((n) => n.name === 'x')!.labels).to.deep.equal({ 'kubernetes.io/metadata.name': 'x' });
    // earlier states are not mutated by later steps
    expect(states[1]!.topology.pods.find((p) => p.namespace === 'x' && p.name === 'b')!.labels).to.deep.equal({ pod: 'b' });
  });

  it('should resolve placeholders against the planned IPs', async () => {
    const states = replaySteps(await loadScenarioFile(FILE));
    const allow = states[2]!.policies[1] as NetworkPolicy;
    expect(allow.spec.ingress![1]!.from![0]!.ipBlock).to.deep.equal({ cidr: '10.244.0.0/24', except: ['10.244.0.5/32'] });
  });

  it('should resolve placeholders against a topology with real IPs when given one', async () => {
    const s = await loadScenarioFile(FILE);
    const real: Topology = { ...s.topology, pods: s.topology.pods.map((p, i) => ({ ...p, ip: `fd00::${i + 1}` })) };
    const allow = replaySteps(s, real)[2]!.policies[1] as NetworkPolicy;
    expect(allow.spec.ingress![1]!.from![0]!.ipBlock).to.deep.equal({ cidr: 'fd00::/24', except: ['fd00::5/128'] });
  });
});

describe('resolvePolicy', () => {
  it('should resolve podIP, podNet and externalIP placeholders and leave plain CIDRs alone', async () => {
    const s = await loadScenarioFile(FILE);
    const policy = resolvePolicy(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'p', namespace: 'x' },
        spec: {
          podSelector: {},
          egress: [{ to: [{ ipBlock: { cidr: '{{podIP x/b}}' } }, { ipBlock: { cidr: '{{ podNet y/c 16 }}' } }, { ipBlock: { cidr: '{{externalIP metadata}}' } }, { ipBlock: { cidr: '0.0.0.0/0' } }, { podSelector: {} }] }],
        },
      },
      s.topology,
    );
    expect(policy.spec.egress![0]!.to).to.deep.equal([
      { ipBlock: { cidr: '10.244.0.2/32' } },
      { ipBlock: { cidr: '10.244.0.0/16' } },
      { ipBlock: { cidr: '169.254.169.254/32' } },
      { ipBlock: { cidr: '0.0.0.0/0' } },
      { podSelector: {} },
    ]);
  });
});

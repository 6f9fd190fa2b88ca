import { expect } from 'chai';
import { EnvironmentError } from '../../../src/model/index.js';
import { enforcementCanary } from '../../../src/providers/kube/enforcement-canary.js';
import { KubeEnvironment } from '../../../src/providers/kube/kube-environment.js';
import { startKubeEnvironment } from '../../../src/providers/kube/start-kube-environment.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeKubeApi } from '../../fakes/fake-kube-api.js';

function env(api: FakeKubeApi, clock: FakeClock) {
  return new KubeEnvironment({ api, runId: 'r9', description: 'fake', image: 'node:24-alpine', agentScript: '//', policyKinds: ['NetworkPolicy'], clock });
}

describe('enforcementCanary()', () => {
  it('should pass on an enforcing cluster: allowed first, blocked after the deny-all, namespace removed', async () => {
    const api = new FakeKubeApi({ enforce: true });
    const clock = new FakeClock();
    const r = await enforcementCanary(env(api, clock), { clock });
    expect(r).to.deep.equal({ enforced: true, blockedOutcome: 'timeout' });
    expect(api.callsOf('exec').length).to.equal(2);
    expect(api.callsOf('apply').filter((c) => c.kind === 'NetworkPolicy')).to.deep.equal([{ op: 'apply', kind: 'NetworkPolicy', name: 'canary-deny-all-ingress', namespace: 'r9-1-canary' }]);
    expect(api.all('Namespace').some((n) => n.metadata.name === 'r9-1-canary')).to.equal(false);
  });

  it('should throw EnvironmentError saying the cluster does not enforce NetworkPolicy on a fail-open cluster', async () => {
    const api = new FakeKubeApi({ enforce: false });
    const clock = new FakeClock();
    const err = await enforcementCanary(env(api, clock), { clock, blockTimeoutMs: 10_000 }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).to.match(/does not enforce NetworkPolicy/);
    expect((err as EnvironmentError).hint).to.match(/--allow-no-enforcement/);
    expect(api.callsOf('exec').length).to.be.within(2, 12);
    expect(api.all('Namespace').some((n) => n.metadata.name === 'r9-1-canary')).to.equal(false);
  });

  it('should only warn with allowNoEnforcement', async () => {
    const api = new FakeKubeApi({ enforce: false });
    const clock = new FakeClock();
    const logs: string[] = [];
    const r = await enforcementCanary(env(api, clock), { clock, allowNoEnforcement: true, log: (m) => logs.push(m) });
    expect(r.enforced).to.equal(false);
    expect(logs.join('\n')).to.match(/warning: the cluster does not enforce/);
  });

  it('should report broken pod networking (never reachable) differently from missing enforcement', async () => {
    const api = new FakeKubeApi({ exec: () => ({ exitCode: 0, stdout: JSON.stringify({ results: [{ id: 'canary', outcome: 'timeout', elapsedMs: 2000 }], agent: { identity: 'x', version: 'f' } }), stderr: '' }) });
    const clock = new FakeClock();
    const err = await enforcementCanary(env(api, clock), { clock, reachTimeoutMs: 5000 }).then(() => undefined, (e: unknown) => e as EnvironmentError);
    expect(err?.message).to.match(/cannot reach canary\/server even without any policy/);
  });

  it('should dispose the environment (and so the provider teardown) when the canary fails in startKubeEnvironment', async () => {
    const api = new FakeKubeApi({ enforce: false });
    let torn = 0;
    const err = await startKubeEnvironment({ api, runId: 'r9', description: 'f', image: 'node:24-alpine', agentScript: '//', policyKinds: ['NetworkPolicy'], clock: new FakeClock(), onDispose: async () => void torn++ }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(EnvironmentError);
    expect(torn).to.equal(1);
  });
});

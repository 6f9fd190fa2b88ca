import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CellKey, NetworkPolicy } from '../../../src/model/index.js';
import { ClusterProber } from '../../../src/probe/cluster-prober.js';
import { createK3sProvider } from '../../../src/providers/k3s/k3s-provider.js';
import { createKindProvider } from '../../../src/providers/kind/kind-provider.js';
import type { KindCni } from '../../../src/providers/kind/kind-versions.js';
import type { Environment, Provider } from '../../../src/providers/provider.js';
import { smallTopology } from '../../providers/kube/fixtures.js';

/**
 * Real-cluster test: runs only with NETSEG_E2E_KUBE=1 (the CNI matrix workflow sets it), against
 * NETSEG_E2E_PROVIDER=kind (NETSEG_E2E_CNI=calico|cilium|kindnet) or k3s. It creates its own
 * cluster, deploys a topology, applies a policy, probes through exec, and tears everything down.
 */
describe('Kubernetes providers (real cluster, NETSEG_E2E_KUBE=1)', function () {
  this.timeout(30 * 60_000);
  let provider: Provider;
  let env: Environment | undefined;
  let runDir: string;

  before(function () {
    if (process.env.NETSEG_E2E_KUBE !== '1') {
      console.log('    (skipped: set NETSEG_E2E_KUBE=1 on a machine with kind/Docker; see docs/providers.md)');
      this.skip();
    }
    const kind = process.env.NETSEG_E2E_PROVIDER ?? 'kind';
    provider = kind === 'k3s' ? createK3sProvider() : createKindProvider({ cni: (process.env.NETSEG_E2E_CNI ?? 'kindnet') as KindCni });
    runDir = mkdtempSync(join(tmpdir(), 'netseg-e2e-kube-'));
  });

  after(async function () {
    if (env) await env[Symbol.asyncDispose]();
    if (runDir) rmSync(runDir, { recursive: true, force: true });
  });

  it('should provision (preflight, readiness, enforcement canary) and probe a deny policy through exec', async () => {
    await provider.preflight();
    env = await provider.provision({ runId: `e2e${Date.now().toString(36).slice(-6)}`, runDir, log: (m) => console.log(`      ${m}`) });
    const topology = smallTopology();
    const d = await env.deploy(topology);
    const cells: CellKey[] = [
      { from: 'x/b', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'TCP' },
      { from: 'y/a', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'TCP' },
      { from: 'x/a', to: 'x/b', target: 'service', port: 80, protocol: 'TCP' },
      { from: 'x/a', to: 'x/b', target: 'dns-name', port: 80, protocol: 'TCP' },
    ];
    const prober = new ClusterProber(d.transport(), d.addresses, d.topology, { timeoutMs: 2000, sctp: false });
    await d.sync({ topology, policies: [] });
    const before = await prober.observe(cells);
    expect([...before.entries()].map(([, o]) => o.connectivity)).to.deep.equal(['allowed', 'allowed', 'allowed', 'allowed']);

    const onlyFromY: NetworkPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'a-only-from-y', namespace: 'x' },
      spec: { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }] },
    };
    await d.sync({ topology, policies: [onlyFromY] });
    let after = await prober.observe(cells);
    for (let i = 0; i < 20 && after.get(cells[0]!)?.connectivity !== 'blocked'; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      after = await prober.observe(cells);
    }
    expect([...after.entries()].map(([, o]) => o.connectivity)).to.deep.equal(['blocked', 'allowed', 'allowed', 'allowed']);
    await d.undeploy();
  });
});

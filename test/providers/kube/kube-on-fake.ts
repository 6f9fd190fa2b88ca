import { KubeEnvironment } from '../../../src/providers/kube/kube-environment.js';
import type { ClusterState } from '../../../src/model/index.js';
import type { Environment } from '../../../src/providers/provider.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeKubeApi, type FakeCall } from '../../fakes/fake-kube-api.js';
import { engineBackedExec } from './engine-backed-exec.js';
import { LAYER_MODULES } from '../../../src/policy/layers/layer-modules.js';
import type { PolicyKind } from '../../../src/model/index.js';
import type { Mesh } from '../../../src/providers/kube/istio-mesh.js';

/** The agent answers like the engine, so the fake enforces exactly the kinds the engine evaluates. */
const ENGINE_KINDS = (Object.keys(LAYER_MODULES) as PolicyKind[]).filter((k) => LAYER_MODULES[k] !== null);

/**
 * KubeEnvironment over the fake API server, its agent answering like the engine for the state last
 * synced (tests and scripts/count-kube-calls.ts only). `absentHosts` (IPs) never answer.
 */
export function kubeOnFake(options: { realExternals?: boolean; policyKinds?: readonly PolicyKind[]; mesh?: Mesh } = {}, absentHosts?: ReadonlySet<string>): { api: FakeKubeApi; env: Environment } {
  let state: ClusterState | undefined;
  // With a mesh the fake injects sidecars as Istio's webhook does (the engine-backed agent answers as without one).
  const api = new FakeKubeApi({ exec: engineBackedExec(() => state, absentHosts), ...(options.mesh === 'istio' && { injectSidecars: true }) });
  const kube = new KubeEnvironment({ api, runId: 'rpacks', description: 'fake cluster', image: 'node:24-alpine', agentScript: '//agent', clock: new FakeClock(), ...options, policyKinds: options.policyKinds ?? ENGINE_KINDS });
  const env: Environment = {
    description: kube.description,
    capabilities: kube.capabilities,
    deploy: async (t) => {
      const deployed = await kube.deploy(t);
      return {
        ...deployed,
        sync: async (s) => {
          await deployed.sync(s);
          state = s;
        },
      };
    },
    [Symbol.asyncDispose]: () => kube[Symbol.asyncDispose](),
  };
  return { api, env };
}

/** The fake's calls counted per operation, plus the total. */
export function countCalls(api: FakeKubeApi): Record<FakeCall['op'] | 'total', number> {
  const counts = { apply: 0, read: 0, list: 0, delete: 0, patchLabels: 0, exec: 0, total: 0 };
  for (const c of api.calls) {
    counts[c.op]++;
    counts.total++;
  }
  return counts;
}

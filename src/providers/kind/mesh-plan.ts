import type { PolicyKind } from '../../model/index.js';
import type { PodGroup } from '../kube/cluster-readiness.js';
import { ISTIO_MESH, ISTIOD_PODS, type Mesh } from '../kube/istio-mesh.js';
import type { CommandStep } from './cni-plan.js';
import { ISTIO_HELM_REPO, KIND_VERSIONS } from './kind-versions.js';

/** How to install a service mesh into a fresh kind cluster (after its CNI), and which pods prove it is up. */
export interface MeshPlan {
  readonly tools: readonly 'helm'[];
  readonly install: readonly CommandStep[];
  readonly readiness: readonly PodGroup[];
  /** The policy kinds the mesh enforces, beside the CNI's. */
  readonly policyKinds: readonly PolicyKind[];
}

/**
 * The install plan of a mesh (pure). Istio follows its Helm guide: the `base` chart (CRDs, cluster
 * roles) into istio-system, then `istiod`, each pinned to KIND_VERSIONS.istio. `base` runs with
 * `--wait` so its CRDs exist before istiod's validating webhook reads them; istiod without it:
 * netseg's own bounded readiness wait (its pods) follows. Both are bounded by the step timeout.
 * istiod gets `meshConfig.connectTimeout` (MeshConfig, default 10 s) lowered to 2 s: a policy drop
 * behind a client sidecar shows when Envoy gives up connecting upstream, and the prober waits past it.
 * Sidecar injection is per namespace (istio-injection=enabled, set by the environment on the run's
 * namespaces before their pods are created), so nothing else of the cluster gets sidecars.
 */
export function meshPlan(mesh: Mesh, kubeconfig: string): MeshPlan {
  switch (mesh) {
    case 'none':
      return { tools: [], install: [], readiness: [], policyKinds: [] };
    case 'istio': {
      const helm = (release: string, chart: string, ...extra: string[]): CommandStep => ({
        file: 'helm',
        args: ['install', release, chart, '--repo', ISTIO_HELM_REPO, '--version', KIND_VERSIONS.istio, '--namespace', ISTIO_MESH.namespace, '--kubeconfig', kubeconfig, ...extra],
        timeoutMs: 300_000,
      });
      return {
        tools: ['helm'],
        install: [helm('istio-base', 'base', '--create-namespace', '--wait', '--timeout', '4m'), helm('istiod', 'istiod', '--set', `meshConfig.connectTimeout=${ISTIO_MESH.installedConnectTimeoutMs / 1000}s`)],
        readiness: [ISTIOD_PODS],
        policyKinds: ['AuthorizationPolicy'],
      };
    }
  }
}

import type { PodGroup } from '../kube/cluster-readiness.js';
import { kubectlStep, type CommandStep } from './cni-plan.js';
import { KUBE_NETWORK_POLICIES, type KindCni } from './kind-versions.js';

/**
 * How a kind CNI enforces ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) and what netseg
 * must add to its install to turn that on. The CRDs themselves are not the CNI's business: every
 * CNI here needs them installed by hand (installClusterNetworkPolicyCrds).
 */
export interface CnpSupport {
  /** What evaluates the policies, at which version. */
  readonly implementation: string;
  /** The switch that turns it on, as its docs name it. */
  readonly enable: string;
  /** Where that is documented. */
  readonly source: string;
  /** `--set` values for the CNI's Helm install (Cilium only). */
  readonly helmSet: readonly string[];
  /** Commands after the CNI install (kindnet only: swap in kube-network-policies). */
  readonly afterCni: (kubeconfig: string) => readonly CommandStep[];
  /** Pods that must be Ready besides the CNI's own. */
  readonly readiness: readonly PodGroup[];
}

const KUBE_NETWORK_POLICIES_PODS: PodGroup = { description: 'kube-network-policies', namespace: 'kube-system', labelSelector: 'app=kube-network-policies' };

/**
 * The ClusterNetworkPolicy support of a kind CNI (pure). kindnet embeds kube-network-policies'
 * standard flavour only, so netseg does what the network-policy-api and kube-network-policies CI
 * do: it swaps kindnetd for an image from before kindnet enforced policies and runs the
 * `npa-v1alpha2` DaemonSet beside it (one engine enforces; two would AND their verdicts). The
 * manifest's image is pinned again by `set image`, so a re-tagged manifest cannot change the
 * engine. Calico 3.32 needs no switch; Cilium 1.20 needs its agent option, off by default.
 */
export function cnpSupport(cni: KindCni): CnpSupport {
  switch (cni) {
    case 'kindnet':
      return {
        implementation: `kube-network-policies ${KUBE_NETWORK_POLICIES.version} (npa-v1alpha2), replacing kindnet's own policy engine`,
        enable: `image ${KUBE_NETWORK_POLICIES.image} (install-cnp.yaml), kindnetd downgraded to ${KUBE_NETWORK_POLICIES.kindnetWithoutPolicies}`,
        source: 'kubernetes-sigs/kube-network-policies install-cnp.yaml and .github/workflows/e2e.yml; kubernetes-sigs/network-policy-api .github/workflows/conformance.yml',
        helmSet: [],
        afterCni: (kubeconfig) => [
          kubectlStep(kubeconfig, ['-n', 'kube-system', 'set', 'image', 'daemonset/kindnet', `kindnet-cni=${KUBE_NETWORK_POLICIES.kindnetWithoutPolicies}`]),
          kubectlStep(kubeconfig, ['apply', '-f', KUBE_NETWORK_POLICIES.manifest]),
          kubectlStep(kubeconfig, ['-n', 'kube-system', 'set', 'image', 'daemonset/kube-network-policies', `kube-network-policies=${KUBE_NETWORK_POLICIES.image}`]),
          // The readiness wait sees pods by label: without these, the old kindnet pods could pass it mid-rollout.
          kubectlStep(kubeconfig, ['-n', 'kube-system', 'rollout', 'status', 'daemonset/kindnet', '--timeout=180s'], 200_000),
          kubectlStep(kubeconfig, ['-n', 'kube-system', 'rollout', 'status', 'daemonset/kube-network-policies', '--timeout=180s'], 200_000),
        ],
        readiness: [KUBE_NETWORK_POLICIES_PODS],
      };
    case 'calico':
      return {
        implementation: 'Calico v3.32 (tiers kube-admin, order 1000, and kube-baseline, order 10000000)',
        enable: 'built in, nothing to enable',
        source: 'tigera/docs calico/network-policy/policy-tiers/tiered-policy.mdx (PR #2416); projectcalico/calico PR #10810; network-policy-api PR #376',
        helmSet: [],
        afterCni: () => [],
        readiness: [],
      };
    case 'cilium':
      return {
        implementation: 'Cilium 1.20 (agent option, off by default)',
        enable: 'Helm k8sClusterNetworkPolicy.enabled=true (agent flag --enable-k8s-cluster-network-policy)',
        source: 'cilium/cilium Documentation/network/kubernetes/policy.rst (PR #47227, "Enabling KCNP")',
        helmSet: ['k8sClusterNetworkPolicy.enabled=true'],
        afterCni: () => [],
        readiness: [],
      };
  }
}

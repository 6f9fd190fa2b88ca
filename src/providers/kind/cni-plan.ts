import { join } from 'node:path';
import { CALICO_KINDS, type PolicyKind } from '../../model/index.js';
import type { PodGroup } from '../kube/cluster-readiness.js';
import { ciliumFamilyValues, type KindIpFamily } from './kind-ip-family.js';
import { CALICO_MANIFESTS, CILIUM_HELM_REPO, KIND_VERSIONS, type KindCni } from './kind-versions.js';

/** One command of a CNI install. */
export interface CommandStep {
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
}

/** A kubectl command against the cluster of `kubeconfig` (default bound 180 s). */
export function kubectlStep(kubeconfig: string, args: readonly string[], timeoutMs = 180_000): CommandStep {
  return { file: 'kubectl', args: ['--kubeconfig', kubeconfig, ...args], timeoutMs };
}

/** How to install a CNI into a fresh kind cluster, and which pods prove it is up. */
export interface CniPlan {
  readonly tools: readonly ('kubectl' | 'helm')[];
  readonly install: readonly CommandStep[];
  readonly readiness: readonly PodGroup[];
  /** Whether the datapath is expected to probe SCTP (netseg reports SCTP cells "skipped" otherwise). */
  readonly sctp: boolean;
  /** The policy kinds the CNI enforces (scenarios using another kind are reported "unsupported"). */
  readonly policyKinds: readonly PolicyKind[];
}

/**
 * The install plan of a CNI (pure). Calico goes through the tigera-operator manifests, as Calico's
 * kind guide documents, with our own trimmed custom resources (an Installation whose pool is kind's
 * podSubnet, no Goldmane/Whisker/APIServer: faster bring-up, nothing netseg uses). `kubectl create`,
 * not apply: the CRD bundle exceeds the client-side-apply annotation limit. Cilium goes through Helm
 * with an explicit chart version and kind values (clusters/kind-cilium/values.yaml), without --wait:
 * netseg's own readiness wait follows. kindnet is kind's default CNI: nothing to install. For an
 * IPv6 or dual-stack cluster Calico takes the Installation at `calicoResources` (written by the
 * provider from the shipped one, see calicoResourcesFor) and Cilium gets `ipv6.enabled`; kindnet
 * follows kind's ipFamily by itself.
 */
export function cniPlan(cni: KindCni, clustersDir: string, kubeconfig: string, family: KindIpFamily = 'ipv4', calicoResources?: string): CniPlan {
  const kubectl = (...args: string[]): CommandStep => kubectlStep(kubeconfig, args);
  switch (cni) {
    case 'calico':
      return {
        tools: ['kubectl'],
        install: [
          kubectl('create', '-f', `${CALICO_MANIFESTS}/v1_crd_projectcalico_org.yaml`),
          kubectl('create', '-f', `${CALICO_MANIFESTS}/tigera-operator.yaml`),
          kubectl('wait', '--for=condition=Established', '--timeout=120s', 'crd/installations.operator.tigera.io'),
          kubectl('create', '-f', calicoResources ?? join(clustersDir, 'kind-calico', 'custom-resources.yaml')),
        ],
        readiness: [
          { description: 'calico-node', namespace: 'calico-system', labelSelector: 'k8s-app=calico-node' },
          { description: 'calico-kube-controllers', namespace: 'calico-system', labelSelector: 'k8s-app=calico-kube-controllers' },
        ],
        sctp: false,
        // Written as crd.projectcalico.org/v1 objects: no Calico API server is installed (rewrite-calico-policy.ts).
        policyKinds: ['NetworkPolicy', ...CALICO_KINDS],
      };
    case 'cilium':
      return {
        tools: ['helm'],
        install: [
          {
            file: 'helm',
            args: ['install', 'cilium', 'cilium', '--repo', CILIUM_HELM_REPO, '--version', KIND_VERSIONS.cilium, '--namespace', 'kube-system', '--kubeconfig', kubeconfig, '--values', join(clustersDir, 'kind-cilium', 'values.yaml'), ...ciliumFamilyValues(family)],
            timeoutMs: 300_000,
          },
        ],
        readiness: [
          { description: 'cilium agent', namespace: 'kube-system', labelSelector: 'k8s-app=cilium' },
          { description: 'cilium-operator', namespace: 'kube-system', labelSelector: 'io.cilium/app=operator' },
          // The L7 proxy (HTTP rules, the DNS proxy of toFQDNs) runs in this DaemonSet (values.yaml envoy.enabled).
          { description: 'cilium-envoy', namespace: 'kube-system', labelSelector: 'k8s-app=cilium-envoy' },
        ],
        sctp: false,
        // The Cilium install brings (and its operator establishes) the CRDs of its own kinds.
        policyKinds: ['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
      };
    case 'kindnet':
      return { tools: [], install: [], readiness: [{ description: 'kindnet', namespace: 'kube-system', labelSelector: 'app=kindnet' }], sctp: false, policyKinds: ['NetworkPolicy'] };
  }
}

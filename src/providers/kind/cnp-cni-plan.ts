import { cniPlan, type CniPlan, type CommandStep } from './cni-plan.js';
import { clusterNetworkPolicyCrdSteps } from './cnp-crds.js';
import { cnpSupport } from './cnp-support.js';
import type { KindIpFamily } from './kind-ip-family.js';
import type { KindCni } from './kind-versions.js';

/**
 * The install plan of a CNI with ClusterNetworkPolicy enforced (pure): the CRD first (agents that
 * watch it find it when they start), then the CNI's own install with its CNP switch, then the steps
 * that turn enforcement on, and readiness of every pod that enforces. kubectl becomes a tool of every
 * CNI (the CRD goes in with it), so provisioning asks for it before a cluster exists. The CNI then
 * enforces ClusterNetworkPolicy as well.
 */
export function cniPlanWithClusterNetworkPolicy(cni: KindCni, clustersDir: string, kubeconfig: string, family: KindIpFamily = 'ipv4', calicoResources?: string): CniPlan {
  const plain = cniPlan(cni, clustersDir, kubeconfig, family, calicoResources);
  const support = cnpSupport(cni);
  const withHelmSet = (step: CommandStep): CommandStep =>
    step.file === 'helm' && support.helmSet.length > 0 ? { ...step, args: [...step.args, ...support.helmSet.flatMap((value) => ['--set', value])] } : step;
  return {
    ...plain,
    tools: plain.tools.includes('kubectl') ? plain.tools : ['kubectl', ...plain.tools],
    install: [...clusterNetworkPolicyCrdSteps(kubeconfig), ...plain.install.map(withHelmSet), ...support.afterCni(kubeconfig)],
    readiness: [...plain.readiness, ...support.readiness],
    policyKinds: [...plain.policyKinds, 'ClusterNetworkPolicy'],
  };
}

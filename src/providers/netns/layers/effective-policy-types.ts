import type { NetworkPolicySpec } from '../../../model/index.js';

/**
 * The policy types a policy enforces, defaulted as the API server does (SetDefaults_NetworkPolicySpec):
 * an absent or empty `policyTypes` means Ingress, plus Egress when the policy has at least one egress rule.
 */
export function effectivePolicyTypes(spec: NetworkPolicySpec): { ingress: boolean; egress: boolean } {
  if (spec.policyTypes && spec.policyTypes.length > 0) {
    return { ingress: spec.policyTypes.includes('Ingress'), egress: spec.policyTypes.includes('Egress') };
  }
  return { ingress: true, egress: (spec.egress?.length ?? 0) > 0 };
}

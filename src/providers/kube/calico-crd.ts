import type { KubeApi } from './kube-api.js';

/**
 * The API group netseg writes Calico objects in: the storage CRDs every Calico install brings.
 * `projectcalico.org/v3` needs the Calico API server, which the kind provider does not install
 * (docs/providers.md); the spec fields are the same in both groups.
 */
export const CALICO_CRD_API_VERSION = 'crd.projectcalico.org/v1';

/** The CRD whose presence says the cluster stores Calico policies. */
export const CALICO_POLICY_CRD_NAME = 'globalnetworkpolicies.crd.projectcalico.org';

/** Whether the cluster of `api` has Calico's policy CRDs (Established). */
export async function calicoCrdsPresent(api: KubeApi): Promise<boolean> {
  const crd = await api.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: CALICO_POLICY_CRD_NAME });
  const conditions = (crd as { status?: { conditions?: readonly { type?: string; status?: string }[] } } | undefined)?.status?.conditions;
  // A fake or a minimal API server may omit status: present counts unless it says not Established.
  return crd !== undefined && (conditions === undefined || conditions.some((c) => c.type === 'Established' && c.status === 'True'));
}

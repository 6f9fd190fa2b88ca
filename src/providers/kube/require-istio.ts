import { EnvironmentError } from '../../model/index.js';
import { ISTIO_MESH } from './istio-mesh.js';
import type { KubeApi } from './kube-api.js';

/**
 * A cluster netseg did not set up must already run Istio for `--mesh istio`: it serves the
 * AuthorizationPolicy CRD and istiod has a Ready pod (its webhook injects the sidecars). Checked
 * before anything is created, so a run never deploys pods that would wait for sidecars in vain.
 */
export async function requireIstio(api: KubeApi): Promise<void> {
  const crd = await api.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: ISTIO_MESH.authorizationPolicyCrd });
  const hint = 'install Istio (https://istio.io/latest/docs/setup/install/helm/: charts base and istiod), or run without --mesh';
  if (!crd) throw new EnvironmentError(`--mesh istio: the cluster has no Istio (no CRD ${ISTIO_MESH.authorizationPolicyCrd})`, hint);
  const pods = await api.list('v1', 'Pod', { namespace: ISTIO_MESH.namespace, labelSelector: ISTIO_MESH.istiodSelector });
  if (pods.length === 0) throw new EnvironmentError(`--mesh istio: the cluster serves Istio's CRDs but runs no istiod (${ISTIO_MESH.namespace}, ${ISTIO_MESH.istiodSelector})`, hint);
}

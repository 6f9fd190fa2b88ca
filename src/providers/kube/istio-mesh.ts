import type { PodGroup } from './cluster-readiness.js';

/**
 * What netseg relies on of an Istio sidecar mesh (Istio's documented names): the namespace label
 * that turns on sidecar injection, the injected container, the CRD that serves AuthorizationPolicy,
 * and istiod's namespace and pods.
 */
export const ISTIO_MESH = {
  /** Namespace label read by istiod's injection webhook when pods are created (never for pods that exist). */
  injectionLabel: 'istio-injection',
  /** Name of the injected sidecar (a container, or a native-sidecar init container). */
  sidecar: 'istio-proxy',
  /** The CRD serving `security.istio.io` AuthorizationPolicy. */
  authorizationPolicyCrd: 'authorizationpolicies.security.istio.io',
  /** Where the Helm charts install istiod (also Istio's root namespace). */
  namespace: 'istio-system',
  /** Label selector of istiod's pods. */
  istiodSelector: 'app=istiod',
  /** Envoy's upstream connect timeout when the mesh leaves `meshConfig.connectTimeout` unset (Istio's MeshConfig reference: 10 s). */
  defaultConnectTimeoutMs: 10_000,
  /** The `meshConfig.connectTimeout` netseg installs Istio with: a drop behind a client sidecar then shows within 2 s, not 10. */
  installedConnectTimeoutMs: 2000,
} as const;

/** istiod's pods, which every sidecar needs (certificates, configuration) and the injection webhook is served by. */
export const ISTIOD_PODS: PodGroup = { description: 'istiod', namespace: ISTIO_MESH.namespace, labelSelector: ISTIO_MESH.istiodSelector };

/** The service meshes netseg can run scenarios behind (`--mesh`). */
export type Mesh = 'none' | 'istio';

/** Every `--mesh` value. */
export const MESHES: readonly Mesh[] = ['none', 'istio'];

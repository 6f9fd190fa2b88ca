import { ClientNodeKubeApi } from '../kube/client-node-kube-api.js';
import type { KubeApi } from '../kube/kube-api.js';
import { defaultKubeconfigPath } from './kubeconfig-provider.js';

/** A KubeApi on one context of a kubeconfig file (default $KUBECONFIG or ~/.kube/config), for read-only use cases such as scaffold. */
export function openKubeconfigApi(context: string, kubeconfig?: string, requestTimeoutMs = 15_000): KubeApi {
  return ClientNodeKubeApi.fromFile(kubeconfig ?? defaultKubeconfigPath(), context, { requestTimeoutMs });
}

import type { L7ProxyModule } from './l7-proxy-module.js';
import { ciliumProxyModule } from './cilium-proxy-module.js';
import { istioProxyModule } from './istio-proxy-module.js';

/**
 * The L7 families the netns proxies enforce, one line each, in the order a request meets them at
 * the destination (the node's Cilium proxy before the pod's Istio sidecar).
 */
export const L7_PROXY_MODULES: readonly L7ProxyModule[] = [ciliumProxyModule, istioProxyModule];

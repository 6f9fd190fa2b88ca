import type { PolicyKind } from '../../../model/index.js';
import type { NetnsLayerModule } from './netns-layer.js';
import { calicoLayerModule } from './calico-tier-layers.js';
import { ciliumClusterwideNetworkPolicyLayer, ciliumNetworkPolicyLayer } from './cilium-layer.js';
import { clusterNetworkPolicyLayer } from './cluster-network-policy-layer.js';
import { networkPolicyLayer } from './network-policy-layer.js';
import { L7_PROXY_MODULES } from '../l7/l7-proxy-modules.js';

/**
 * The netns L3/L4 compiler of every policy kind (`null`: no nft layer; an L7 kind such as
 * AuthorizationPolicy is enforced by the L7 proxies instead, `l7/l7-proxy-modules.ts`). Keyed by
 * `PolicyKind`, so a kind added to `PolicyObject` fails to compile here until someone decides.
 */
export type LayerModules = { readonly [K in PolicyKind]: NetnsLayerModule<K> | null };

/** The registry: one line per kind; the order of layers comes from their ranks, not from here. */
export const LAYER_MODULES: LayerModules = {
  NetworkPolicy: networkPolicyLayer,
  ClusterNetworkPolicy: clusterNetworkPolicyLayer,
  CalicoNetworkPolicy: calicoLayerModule('CalicoNetworkPolicy'),
  CalicoGlobalNetworkPolicy: calicoLayerModule('CalicoGlobalNetworkPolicy'),
  CalicoTier: calicoLayerModule('CalicoTier'),
  CiliumNetworkPolicy: ciliumNetworkPolicyLayer,
  CiliumClusterwideNetworkPolicy: ciliumClusterwideNetworkPolicyLayer,
  AuthorizationPolicy: null,
};

/** The kinds netns enforces: those with an nft layer module or an L7 proxy module. */
export const NETNS_POLICY_KINDS: readonly PolicyKind[] = (Object.keys(LAYER_MODULES) as PolicyKind[]).filter(
  (k) => LAYER_MODULES[k] !== null || L7_PROXY_MODULES.some((m) => m.kinds.includes(k)),
);

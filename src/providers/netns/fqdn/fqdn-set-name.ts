import type { LayerChain } from '../layers/netns-layer.js';

/**
 * The nft set of the `toFQDNs` rule at `index` of a layer chain: named after the chain's pod address,
 * layer and the rule's position, so the renderer and the DNS name policy derive the same name.
 */
export function fqdnSetName(chain: Pick<LayerChain, 'ip' | 'layer'>, index: number): string {
  return `fqdn_${chain.ip.replace(/[.:]/g, '_')}_${chain.layer.id}_${index}`;
}

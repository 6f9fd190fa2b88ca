import { isExternalRef, type PeerRef } from '../../model/index.js';

/** Namespace of a peer ("external" for external hosts): the unit of the namespace filter and graph groups. */
export function namespaceOf(p: PeerRef): string {
  return isExternalRef(p) ? 'external' : p.slice(0, p.indexOf('/'));
}

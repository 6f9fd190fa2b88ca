import type { ProxyListener } from './haproxy-config.js';

/** The nft table holding a pod's redirects to its proxy (inside the pod's namespace). */
export const REDIRECT_TABLE = 'netseg_l7';

/**
 * The pod-namespace ruleset sending connections that arrive on `eth0` for a proxied port to the
 * proxy's listening port, in one transaction (declare, delete, re-add). The node's forward chain
 * has already judged these packets with their original source and port before they reach the
 * pod's namespace, so a connection the L3/L4 policy refuses never gets here; the proxy reads the
 * original port back with SO_ORIGINAL_DST. `undefined` listeners: the table is removed.
 */
export function redirectRuleset(listeners: readonly ProxyListener[] | undefined): string {
  const reset = `table inet ${REDIRECT_TABLE} {}\ndelete table inet ${REDIRECT_TABLE}\n`;
  if (listeners === undefined) return reset;
  const rules = listeners.map((l) => `    iifname "eth0" tcp dport ${l.port} redirect to :${l.listen}`);
  return `${reset}table inet ${REDIRECT_TABLE} {\n  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n${rules.join('\n')}\n  }\n}\n`;
}

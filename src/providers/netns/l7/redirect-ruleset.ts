import { PROXY_GID, type ProxyListener } from './haproxy-config.js';
import type { ProxyDestination } from './proxy-plan.js';

/** The nft table holding a pod's redirects to its proxy (inside the pod's namespace). */
export const REDIRECT_TABLE = 'netseg_l7';

/**
 * The pod-namespace ruleset sending connections that arrive on `eth0` for a proxied port to the
 * proxy's listening port, in one transaction (declare, delete, re-add). The node's forward chain
 * has already judged these packets with their original source and port before they reach the
 * pod's namespace, so a connection the L3/L4 policy refuses never gets here; the proxy reads the
 * original port back with SO_ORIGINAL_DST. An egress port's connections leaving on `eth0` to its
 * destinations go to the proxy too (output hook), except the proxy's own (its group): its
 * connection to the original destination is the one the node's forward chain judges, from the
 * pod's address to the original address and port. `undefined` listeners: the table is removed.
 */
export function redirectRuleset(listeners: readonly ProxyListener[] | undefined): string {
  const reset = `table inet ${REDIRECT_TABLE} {}\ndelete table inet ${REDIRECT_TABLE}\n`;
  if (listeners === undefined) return reset;
  const rules = listeners.filter((l) => l.to === undefined).map((l) => `    iifname "eth0" tcp dport ${l.port} redirect to :${l.listen}`);
  const output = listeners.flatMap((l) => (l.to ?? []).map((d) => `    oifname "eth0" meta skgid != ${PROXY_GID} ${daddr(d)}tcp dport ${l.port} redirect to :${l.listen}`));
  const outputChain = output.length > 0 ? `  chain output {\n    type nat hook output priority -100; policy accept;\n${output.join('\n')}\n  }\n` : '';
  return `${reset}table inet ${REDIRECT_TABLE} {\n  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n${rules.join('\n')}\n  }\n${outputChain}}\n`;
}

/** The address match of a destination block (`ip` or `ip6` by its family), with a trailing space. */
function daddr(d: ProxyDestination): string {
  const family = d.cidr.includes(':') ? 'ip6' : 'ip';
  const except = d.except.length > 0 ? `${family} daddr != { ${d.except.join(', ')} } ` : '';
  return `${family} daddr ${d.cidr} ${except}`;
}

import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { queryDns } from './dns-query.js';
import { errorMessage } from './error-code.js';
import type { RawOutcome } from './protocol.js';
import { candidateNames, parseResolvConf } from './resolv-conf.js';
import type { SocketSource } from './socket-source.js';

/** Default resolver configuration; NETSEG_AGENT_RESOLV_CONF overrides it (tests, unusual pods). */
export const DEFAULT_RESOLV_CONF = '/etc/resolv.conf';

/** A resolved address, or why resolution failed (dns-timeout / dns-nxdomain / dns-error). */
export type Resolution =
  | { readonly ok: true; readonly address: string }
  | { readonly ok: false; readonly outcome: Extract<RawOutcome, 'dns-timeout' | 'dns-nxdomain' | 'dns-refused' | 'dns-error'>; readonly detail: string };

/**
 * Resolves a host name as the pod's libc would, but with our own deadline: reads resolv.conf, walks
 * the search list honoring ndots, and asks the nameservers over UDP (TCP on truncation) for an A
 * record (AAAA for `family` 6). getaddrinfo is avoided on purpose: it can block well past the probe timeout.
 */
export async function resolveHost(host: string, timeoutMs: number, resolvConfPath: string, signal?: AbortSignal, family: 4 | 6 = 4, sockets?: SocketSource): Promise<Resolution> {
  if (isIP(host)) return { ok: true, address: host };
  if (host.toLowerCase() === 'localhost') return { ok: true, address: family === 6 ? '::1' : '127.0.0.1' };
  const deadline = Date.now() + timeoutMs;
  let text: string;
  try {
    text = await readFile(resolvConfPath, 'utf8');
  } catch (error) {
    return { ok: false, outcome: 'dns-error', detail: `cannot read ${resolvConfPath}: ${errorMessage(error)}` };
  }
  const conf = parseResolvConf(text);
  if (conf.nameservers.length === 0) return { ok: false, outcome: 'dns-error', detail: `no nameserver in ${resolvConfPath}` };
  let notFound = 0;
  const errors: string[] = [];
  for (const name of candidateNames(host, conf)) {
    let timedOut = false;
    for (const ns of conf.nameservers) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { ok: false, outcome: 'dns-timeout', detail: `no answer for ${host} within ${timeoutMs} ms` };
      const base = { server: ns.address, port: ns.port, name, type: family === 6 ? ('AAAA' as const) : ('A' as const), timeoutMs: Math.min(remaining, conf.attemptTimeoutMs) };
      let result = await queryDns({ ...base, transport: 'UDP' }, signal, sockets);
      if (result.kind === 'response' && result.truncated && result.addresses.length === 0) {
        result = await queryDns({ ...base, transport: 'TCP', timeoutMs: Math.max(1, deadline - Date.now()) }, signal, sockets);
      }
      if (result.kind === 'timeout') {
        timedOut = true;
        continue;
      }
      timedOut = false;
      if (result.kind === 'socket-error') {
        errors.push(`${ns.address}:${ns.port} ${result.code}`);
        continue;
      }
      const address = result.addresses[0];
      if (result.rcode === 'NOERROR' && address !== undefined) return { ok: true, address };
      if (result.rcode === 'NXDOMAIN' || result.rcode === 'NOERROR') {
        notFound++;
        break; // an authoritative "no" for this name: try the next search candidate, not the next server
      }
      errors.push(`${ns.address}:${ns.port} ${result.rcode}`);
    }
    // A silent nameserver means the lookup cannot finish reliably; glibc would give up too.
    if (timedOut) return { ok: false, outcome: 'dns-timeout', detail: `no answer for ${name}` };
  }
  if (errors.length === 0 && notFound > 0) return { ok: false, outcome: 'dns-nxdomain', detail: `${host}: NXDOMAIN` };
  // Every answer REFUSED: a DNS proxy (Cilium's DNS rules) refused the name, an L7 denial rather than a failure.
  if (errors.length > 0 && notFound === 0 && errors.every((e) => e.endsWith(' REFUSED'))) return { ok: false, outcome: 'dns-refused', detail: `${host}: ${errors.join(', ')}` };
  return { ok: false, outcome: 'dns-error', detail: `${host}: ${errors.join(', ') || 'no address'}` };
}

import { TCP_HELLO } from '../../../agent/protocol.js';
import type { PodProxy, ProxiedPort, ProxyDestination, ProxyAcl, ProxyLayer, ProxySample, ProxyTerm, ProxyTest } from './proxy-plan.js';

/** Where the proxy's listening ports start (skipping the ports the pod serves). */
export const LISTEN_BASE = 15000;

/**
 * The group the proxy of a pod with egress ports runs as: the pod's output redirect skips sockets
 * of this group, so the proxy's own connections to the original destinations leave unredirected.
 */
export const PROXY_GID = 15999;

/**
 * How long a frontend of an HTTP port waits for first bytes that decide: the agent's TCP_HELLO or an
 * HTTP request are taken as soon as they are in, so only a client silent this long (never one of
 * netseg's probes) goes on unjudged to the agent, which has its own silence fallback.
 */
const INSPECT_DELAY_MS = 3000;

/** The connection probe's hello as the hex HAProxy's `-m bin` matches the first payload bytes against. */
const HELLO_LENGTH = Buffer.byteLength(TCP_HELLO);
const HELLO_HEX = Buffer.from(TCP_HELLO).toString('hex');

/** Patterns per `acl` line: HAProxy 2.6 takes at most 64 words per line, and lines with one name OR together. */
const PATTERNS_PER_LINE = 40;

/** A proxied port and the port the proxy listens on for it (the nft redirect's target). */
export interface ProxyListener {
  readonly port: number;
  readonly listen: number;
  /** An egress port: the destinations whose outgoing connections are redirected. */
  readonly to?: readonly ProxyDestination[];
}

/** One pod's HAProxy configuration and the redirects it needs. */
export interface RenderedProxy {
  readonly text: string;
  readonly listeners: readonly ProxyListener[];
}

/**
 * Renders the HAProxy configuration of one pod's proxy: per proxied port a TCP frontend on its own
 * listening port; on an HTTP port a connection whose first bytes are HTTP goes to an HTTP backend
 * (request layers: 403 with the layer's body), the agent's TCP hello (or silence) to a TCP backend (connection layers:
 * accepted, then closed); both forward what they let through to the agent on the original port over
 * loopback. Values are single-quoted; a quote inside a value is closed, escaped and reopened.
 */
export function renderHaproxyConfig(proxy: PodProxy, identityMap: string): RenderedProxy {
  const listeners = listenPorts(proxy);
  const v6 = proxy.ips.some((ip) => ip.includes(':'));
  const ports = [...proxy.ingress.map((p) => ({ p, side: INGRESS })), ...proxy.egress.map((p) => ({ p, side: EGRESS }))];
  const sections = ports.flatMap(({ p, side }, i) => portSections(p, (listeners[i] as ProxyListener).listen, v6, identityMap, side));
  const text = [
    `# netseg L7 proxy of ${proxy.pod} (generated; do not edit)`,
    'global',
    '  hard-stop-after 1s',
    ...(proxy.egress.length > 0 ? [`  gid ${PROXY_GID}`] : []),
    'defaults',
    '  timeout connect 2s',
    '  timeout client 10s',
    '  timeout server 10s',
    ...sections,
    '',
  ].join('\n');
  return { text, listeners };
}

/** One listening port per proxied port (ingress, then egress), from LISTEN_BASE up, never one the pod serves. */
function listenPorts(proxy: PodProxy): ProxyListener[] {
  const taken = new Set(proxy.servedPorts);
  let next = LISTEN_BASE;
  return [...proxy.ingress, ...proxy.egress].map((p) => {
    while (taken.has(next)) next++;
    return { port: p.port, listen: next++, ...(p.to ? { to: p.to } : {}) };
  });
}

/** How a direction's sections are named and where they forward: the local agent, or the original destination (SO_ORIGINAL_DST). */
interface Side {
  readonly prefix: string;
  readonly server: (port: number) => string;
}

const INGRESS: Side = { prefix: '', server: (port) => `  server agent 127.0.0.1:${port}` };
const EGRESS: Side = { prefix: 'out_', server: () => '  server original 0.0.0.0:0' };

function portSections(p: ProxiedPort, listen: number, v6: boolean, identityMap: string, side: Side): string[] {
  const { prefix } = side;
  const frontend = [
    `frontend ${prefix || 'in_'}${p.port}`,
    '  mode tcp',
    `  bind :${listen}`,
    ...(v6 ? [`  bind :::${listen} v6only`] : []),
    ...(p.http ? httpPortRouting(p.port, prefix) : []),
    `  default_backend ${prefix}tcp_${p.port}`,
  ];
  const server = side.server(p.port);
  const tcp = [`backend ${prefix}tcp_${p.port}`, '  mode tcp', ...layerLines(p.tcpLayers, 'tcp', identityMap), server];
  const http = p.http ? [`backend ${prefix}http_${p.port}`, '  mode http', ...layerLines(p.httpLayers, 'http', identityMap), server] : [];
  return [...frontend, ...tcp, ...http];
}

/**
 * Routes an HTTP port's connection on its first bytes, not on a delay: the agent's hello goes to the
 * TCP backend, HTTP to the HTTP backend, each as soon as it is in (a rule whose sample is still
 * incomplete waits for more bytes, up to the inspect delay).
 */
function httpPortRouting(port: number, prefix: string): string[] {
  return [
    `  tcp-request inspect-delay ${INSPECT_DELAY_MS}ms`,
    `  acl netseg_hello req.payload(0,${HELLO_LENGTH}) -m bin ${HELLO_HEX}`,
    '  tcp-request content accept if netseg_hello',
    '  tcp-request content accept if HTTP',
    `  use_backend ${prefix}http_${port} if HTTP`,
  ];
}

type Mode = 'tcp' | 'http';

/** The ACLs and rules of a backend's layers, in order; nothing when it has none. */
function layerLines(layers: readonly ProxyLayer[], mode: Mode, identityMap: string): string[] {
  if (layers.length === 0) return [];
  const acls = new AclNames();
  const rules = layers.flatMap((layer) => [`  # ${layer.name}: ${layer.policies.join(', ')}`, ...layerRules(layer, mode, acls)]);
  return [`  ${mode}-request ${mode === 'tcp' ? 'content ' : ''}set-var(sess.spiffe) src,map_ip(${quote(identityMap)})`, ...acls.lines, ...rules];
}

function layerRules(layer: ProxyLayer, mode: Mode, acls: AclNames): string[] {
  const refuse = mode === 'http' ? `http-request return status 403 content-type text/plain string ${quote(layer.denyBody)}` : 'tcp-request content reject';
  const prefix = mode === 'http' ? 'http-request' : 'tcp-request content';
  const flag = `txn.${layer.name}_ok`;
  const cond = (term: ProxyTerm) => (term.length === 0 ? '' : ` if ${term.map((t) => acls.nameOf(t)).join(' ')}`);
  return [
    ...layer.deny.map((term) => `  ${refuse}${cond(term)}`),
    ...(layer.allow === undefined
      ? []
      : [...layer.allow.map((term) => `  ${prefix} set-var(${flag}) bool(true)${cond(term)}`), `  ${refuse} unless { var(${flag}) -m bool }`]),
  ];
}

/** Names the tests of one backend (`a1`, `a2`, … ; `!aN` for a negation) and collects their `acl` lines. */
class AclNames {
  readonly lines: string[] = [];
  readonly #byText = new Map<string, string>();

  nameOf(test: ProxyTest): string {
    const body = test.acls.flatMap(aclLines);
    const key = body.join('\n');
    let name = this.#byText.get(key);
    if (name === undefined) {
      name = `a${this.#byText.size + 1}`;
      this.#byText.set(key, name);
      this.lines.push(...body.map((b) => `  acl ${name} ${b}`));
    }
    return test.negate ? `!${name}` : name;
  }
}

function aclLines(acl: ProxyAcl): string[] {
  const head = `${sampleFetch(acl.sample)}${acl.ignoreCase ? ' -i' : ''}`;
  if (acl.match === 'nonempty') return [`${head} -m len gt 0`];
  if (acl.match === 'found') return [`${head} -m found`];
  const lines: string[] = [];
  for (let i = 0; i < acl.patterns.length; i += PATTERNS_PER_LINE) {
    lines.push(`${head} -m ${acl.match} -- ${acl.patterns.slice(i, i + PATTERNS_PER_LINE).map(quote).join(' ')}`);
  }
  return lines;
}

function sampleFetch(sample: ProxySample): string {
  switch (sample.kind) {
    case 'src':
    case 'dst':
    case 'dst_port':
    case 'method':
    case 'path':
    case 'pathq':
      return sample.kind;
    case 'spiffe':
      return 'var(sess.spiffe)';
    case 'header':
      // fhdr: the whole value, not split at commas as hdr() would.
      return `req.fhdr(${sample.name})`;
  }
}

/** A single-quoted HAProxy word (no escapes inside single quotes; a quote is written as '\''). */
export function quote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

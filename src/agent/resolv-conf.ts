import { isIP } from 'node:net';

/** A nameserver from resolv.conf; `port` is 53 unless the (netseg-specific) "IP:port" form was used. */
export interface Nameserver {
  readonly address: string;
  readonly port: number;
}

/** The parts of resolv.conf the agent honors. */
export interface ResolvConf {
  readonly nameservers: readonly Nameserver[];
  readonly search: readonly string[];
  readonly ndots: number;
  /** Per-query timeout from "options timeout:N" (ms); the job's own timeout still bounds the whole lookup. */
  readonly attemptTimeoutMs: number;
}

const MAX_NDOTS = 15;

/**
 * Parses resolv.conf text as glibc does for nameserver / search / domain / options ndots,timeout.
 * Beyond glibc, "nameserver 127.0.0.1:5353" and "nameserver [::1]:5353" name a port, so tests on
 * loopback need no port 53.
 */
export function parseResolvConf(text: string): ResolvConf {
  const nameservers: Nameserver[] = [];
  let search: string[] = [];
  let ndots = 1;
  let attemptTimeoutMs = 5000;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/[#;].*$/, '').trim();
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === 'nameserver' && args[0]) {
      const ns = parseNameserver(args[0]);
      if (ns) nameservers.push(ns);
    } else if (keyword === 'search' || keyword === 'domain') {
      // The last search/domain line wins, as in glibc.
      search = args.map((d) => d.replace(/\.$/, '')).filter((d) => d.length > 0);
    } else if (keyword === 'options') {
      for (const option of args) {
        const [name, value] = option.split(':');
        const n = Number(value);
        if (name === 'ndots' && Number.isInteger(n) && n >= 0) ndots = Math.min(n, MAX_NDOTS);
        if (name === 'timeout' && Number.isInteger(n) && n >= 1) attemptTimeoutMs = Math.min(n, 30) * 1000;
      }
    }
  }
  return { nameservers, search, ndots, attemptTimeoutMs };
}

function parseNameserver(arg: string): Nameserver | undefined {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(arg);
  if (bracketed?.[1] && isIP(bracketed[1])) return withPort(bracketed[1], Number(bracketed[2]));
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(arg);
  if (v4WithPort?.[1] && isIP(v4WithPort[1]) === 4) return withPort(v4WithPort[1], Number(v4WithPort[2]));
  const plain = arg.replace(/%.*$/, '');
  return isIP(plain) ? { address: plain, port: 53 } : undefined;
}

function withPort(address: string, port: number): Nameserver | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65_535 ? { address, port } : undefined;
}

/** The names to try for `name`, in glibc's order (absolute first when it has at least ndots dots). */
export function candidateNames(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const searched = conf.search.map((domain) => `${name}.${domain}`);
  const dots = name.split('.').length - 1;
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

import { cellId, dnsQueryName, isExternalRef, podRefOf, requestOfProbe, topologyFamilies, type CellKey, type HttpProbe, type PeerRef, type PodRef, type Topology } from '../model/index.js';
import type { ProbeJob } from '../agent/protocol.js';
import type { AddressBook } from './address-book.js';

/** A probe job together with the cell it answers. */
export interface PlannedJob {
  readonly key: CellKey;
  readonly job: ProbeJob;
}

/**
 * Builds the agent job for one cell; job ids are cell ids so results map back without a table. A
 * cell of a dual-stack scenario takes its family's addresses; IPv6 cells ask DNS for AAAA records.
 * An HTTP request cell becomes an HTTP job for its probe (of `requests`), to the address a connection
 * cell of its target dials, with the Host header a client sends for that address.
 */
export function planJob(key: CellKey, book: AddressBook, topology: Topology, timeoutMs: number, requests: readonly HttpProbe[] = []): PlannedJob {
  const id = cellId(key);
  const addresses = key.family === undefined ? book : familyBook(book, key.family);
  const v6 = (key.family ?? topologyFamilies(topology)[0]) === 'IPv6';
  if (key.target === 'dns') {
    const name = dnsQueryName(topology, (pod) => addresses.serviceName(podRefOf(pod)));
    return { key, job: { kind: 'dns', id, name, server: addresses.dnsServer(), transport: key.protocol === 'TCP' ? 'TCP' : 'UDP', timeoutMs, ...(v6 && { type: 'AAAA' as const }) } };
  }
  const base = { kind: 'connect' as const, id, port: key.port, protocol: key.protocol, timeoutMs };
  if (isExternalRef(key.to)) {
    const name = key.to.slice('external:'.length);
    // An external with a DNS name is dialled by name, resolved first through the cluster DNS (as an FQDN-policy client must).
    const dnsName = topology.externals.find((e) => e.name === name)?.dnsName;
    if (dnsName !== undefined) return { key, job: { ...base, host: absolute(dnsName), ...(v6 && { family: 6 as const }) } };
    return { key, job: { ...base, host: addresses.externalIP(name) } };
  }
  const to = key.to as PodRef;
  const host = hostFor(key, to, addresses);
  const tail = { expectIdentity: to, ...(v6 && key.target === 'dns-name' && { family: 6 as const }) };
  if (key.request === undefined) return { key, job: { ...base, host, ...tail } };
  const probe = required(requests.find((r) => r.id === key.request), `no HTTP probe "${key.request}"`);
  // The Host header names what was dialled, without the resolver's root dot.
  const request = requestOfProbe(probe, host.replace(/\.$/, ''), key.port);
  const job = { kind: 'http' as const, id, host, port: key.port, timeoutMs, method: request.method, path: request.path, hostHeader: request.host, headers: request.headers };
  return { key, job: { ...job, ...tail } };
}

function familyBook(book: AddressBook, family: NonNullable<CellKey['family']>): AddressBook {
  const of = book.ofFamily?.(family);
  if (!of) throw new Error(`the deployment has no ${family} addresses`);
  return of;
}

/**
 * Groups the jobs of many cells by source pod: one batch per source per round. A cell the address
 * book cannot address goes to `unplannable` with the reason instead of stopping the whole round.
 */
export function planJobsBySource(
  keys: readonly CellKey[],
  addresses: AddressBook,
  topology: Topology,
  timeoutMs: number,
  unplannable: (key: CellKey, reason: string) => void = (_key, reason) => {
    throw new Error(reason);
  },
  requests: readonly HttpProbe[] = [],
): Map<PeerRef, PlannedJob[]> {
  const bySource = new Map<PeerRef, PlannedJob[]>();
  for (const key of keys) {
    let planned: PlannedJob;
    try {
      planned = planJob(key, addresses, topology, timeoutMs, requests);
    } catch (e) {
      unplannable(key, e instanceof Error ? e.message : String(e));
      continue;
    }
    const list = bySource.get(key.from) ?? [];
    list.push(planned);
    bySource.set(key.from, list);
  }
  return bySource;
}

function hostFor(key: CellKey, to: PodRef, addresses: AddressBook): string {
  switch (key.target) {
    case 'pod-ip':
      return addresses.podIP(to);
    case 'service':
      return required(addresses.serviceIP(to), `no Service IP for ${to}`);
    case 'dns-name':
      return absolute(required(addresses.serviceName(to), `no Service name for ${to}`));
    case 'external':
    case 'dns':
      throw new Error(`target ${key.target} does not address pod ${to}`);
  }
}

/**
 * The name with its root dot: the resolver then asks for exactly this name, where a relative one
 * with fewer than ndots (5 in pods) dots is first tried with each search suffix, four doomed
 * queries inside one short probe timeout, so a slow upstream would read as "blocked".
 */
function absolute(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function required<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new Error(message);
  return value;
}

import { cellId, isExternalRef, type CellKey, type ExpectedMatrix, type ExternalRef, type PeerRef, type PodRef, type Protocol } from '../model/index.js';

/** A decided verdict a suggestion must realise. */
export type Need = 'allowed' | 'blocked';

/** One flow a suggestion must allow or block, with the first cell that asked for it. */
export interface FlowNeed {
  readonly from: PodRef;
  readonly to: PeerRef;
  readonly port: number;
  readonly protocol: Protocol;
  readonly need: Need;
  readonly cell: CellKey;
}

/** One flow from an external source to a pod (pod-ip cells): only the pod's ingress can decide it. */
export interface OutsideNeed extends Omit<FlowNeed, 'from'> {
  readonly from: ExternalRef;
}

/** Cells no NetworkPolicy set can satisfy together, and why. */
export interface Unrealisable {
  readonly cells: readonly CellKey[];
  readonly reason: string;
}

/** What a declared matrix asks of the policies, independent of how a probe addresses the destination. */
export interface FlowRequirements {
  /** Pod to pod (pod-ip, service and dns-name cells: the engine judges all three against the backend pod). */
  readonly flows: ReadonlyMap<string, FlowNeed>;
  /** Pod to external host. */
  readonly externals: ReadonlyMap<string, FlowNeed>;
  /** External source to pod: admitted by an ipBlock of the source's address where the pod is isolated. */
  readonly outside: ReadonlyMap<string, OutsideNeed>;
  /** Source pod → DNS transport → whether it must reach the cluster DNS. */
  readonly dns: ReadonlyMap<PodRef, ReadonlyMap<Protocol, Need>>;
  readonly conflicts: readonly Unrealisable[];
}

/** A cell whose source is a pod (what NetworkPolicies can be written for). */
type PodCell = CellKey & { readonly from: PodRef };

function fromPod(cell: CellKey): cell is PodCell {
  return !isExternalRef(cell.from);
}

/** The key of a flow: "from to port/protocol". */
export function flowKey(from: string, to: string, port: number, protocol: Protocol): string {
  return `${from} ${to} ${port}/${protocol}`;
}

/**
 * Reduces a step's expected matrix to flows (don't-care cells drop out). A dns-name cell needs the
 * DNS lookup (UDP 53) and the flow; when it is blocked but the same flow by IP is allowed, DNS must
 * be what blocks it. Cells that ask for both verdicts of one flow are conflicts.
 */
export function flowRequirements(expected: ExpectedMatrix): FlowRequirements {
  const flows = new Map<string, FlowNeed>();
  const externals = new Map<string, FlowNeed>();
  const outside = new Map<string, OutsideNeed>();
  const dns = new Map<PodRef, Map<Protocol, Need>>();
  const dnsCell = new Map<string, CellKey>();
  const conflicts: Unrealisable[] = [];
  const setFlow = <F extends FlowNeed | OutsideNeed>(map: Map<string, F>, cell: F['cell'] & { readonly from: F['from'] }, need: Need): void => {
    const key = flowKey(cell.from, cell.to, cell.port, cell.protocol);
    const had = map.get(key);
    if (!had) map.set(key, { from: cell.from, to: cell.to, port: cell.port, protocol: cell.protocol, need, cell } as F);
    else if (had.need !== need) conflicts.push({ cells: [had.cell, cell], reason: `${cellId(had.cell)} is ${had.need} but ${cellId(cell)} is ${need}: policies judge both against the same pod and port` });
  };
  const setDns = (cell: PodCell, protocol: Protocol, need: Need): void => {
    let perSource = dns.get(cell.from);
    if (!perSource) dns.set(cell.from, (perSource = new Map()));
    const had = perSource.get(protocol);
    const key = `${cell.from} ${protocol}`;
    if (had === undefined) {
      perSource.set(protocol, need);
      dnsCell.set(key, cell);
    } else if (had !== need) {
      conflicts.push({ cells: [dnsCell.get(key)!, cell], reason: `${cellId(dnsCell.get(key)!)} needs DNS over ${protocol} ${had} for ${cell.from}, ${cellId(cell)} needs it ${need}` });
    }
  };
  const blockedByName: (PodCell)[] = [];
  for (const [cell, expectation] of expected.entries()) {
    if (expectation === 'ignored') continue;
    // A request refused at L7 still needs its connection allowed at L3/L4: that is what the L4 policies must give.
    const e = expectation === 'denied' ? 'allowed' : expectation;
    if (!fromPod(cell)) {
      // External sources probe pods by IP only (pod-ip cells).
      setFlow(outside, cell as CellKey & { readonly from: ExternalRef }, e);
      continue;
    }
    switch (cell.target) {
      case 'pod-ip':
      case 'service':
        setFlow(flows, cell, e);
        break;
      case 'dns-name':
        if (e === 'blocked') blockedByName.push(cell);
        else {
          setFlow(flows, cell, 'allowed');
          setDns(cell, 'UDP', 'allowed');
        }
        break;
      case 'external':
        setFlow(externals, cell, e);
        break;
      case 'dns':
        setDns(cell, cell.protocol, e);
        break;
    }
  }
  for (const cell of blockedByName) {
    const flow = flows.get(flowKey(cell.from, cell.to, cell.port, cell.protocol));
    if (flow?.need === 'allowed') setDns(cell, 'UDP', 'blocked');
    else setFlow(flows, cell, 'blocked');
  }
  return { flows, externals, outside, dns, conflicts };
}

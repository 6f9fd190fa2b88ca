/** One node of the fake cluster and the pod range its pods get addresses from (a /24, as kindnet and Cilium give per node). */
export interface FakeNode {
  readonly name: string;
  /** e.g. "10.244.1.0/24". */
  readonly podCIDR: string;
}

/** Three nodes like a kind cluster of one control plane and two workers, with kind's per-node /24s. */
export const KIND_LIKE_NODES: readonly FakeNode[] = [
  { name: 'fake-control-plane', podCIDR: '10.244.0.0/24' },
  { name: 'fake-worker', podCIDR: '10.244.1.0/24' },
  { name: 'fake-worker2', podCIDR: '10.244.2.0/24' },
];

/**
 * Pod address allocation over the nodes: a new pod goes to the node with fewest pods (spreading, as
 * the default scheduler's spread scoring tends to), and gets the next free address of that node's
 * /24 after the last one given (.2–.254), so addresses are reused only after the range wrapped.
 */
export class PodAddressPlan {
  readonly #used = new Map<string, Set<number>>();
  readonly #last = new Map<string, number>();

  constructor(readonly nodes: readonly FakeNode[]) {
    for (const n of nodes) {
      if (!/^\d+\.\d+\.\d+\.0\/24$/.test(n.podCIDR)) throw new Error(`fake node ${n.name}: podCIDR must be an IPv4 /24, got ${n.podCIDR}`);
      this.#used.set(n.name, new Set());
      this.#last.set(n.name, 1);
    }
  }

  /** Picks a node and an address; throws when every node's range is full. */
  allocate(): { node: FakeNode; ip: string } {
    const node = [...this.nodes].sort((a, b) => this.#count(a) - this.#count(b))[0];
    if (!node) throw new Error('fake cluster has no nodes');
    const used = this.#used.get(node.name) as Set<number>;
    const last = this.#last.get(node.name) as number;
    for (let step = 1; step <= 253; step++) {
      const host = ((last - 2 + step) % 253) + 2;
      if (used.has(host)) continue;
      used.add(host);
      this.#last.set(node.name, host);
      return { node, ip: node.podCIDR.replace(/0\/24$/, String(host)) };
    }
    throw new Error(`fake node ${node.name}: no free pod address in ${node.podCIDR}`);
  }

  /** Returns an address to its node's pool. */
  release(nodeName: string, ip: string): void {
    this.#used.get(nodeName)?.delete(Number(ip.split('.')[3]));
  }

  #count(node: FakeNode): number {
    return this.#used.get(node.name)?.size ?? 0;
  }
}

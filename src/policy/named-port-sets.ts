import type { Protocol } from '../model/index.js';
import { Bitsets, type Bitset } from './bitset.js';
import type { CompiledPort, Host } from './compiled-state.js';

/** Per port name, the pods whose container port of that name is the probed (port, protocol); built lazily. */
export class NamedPortSets {
  readonly #byName = new Map<string, Bitset>();

  constructor(
    private readonly hosts: readonly Host[],
    private readonly port: number,
    private readonly protocol: Protocol,
  ) {}

  /** The hosts of `within` that some entry of a rule's port list admits (named ports resolve per pod). */
  admittedBy(entries: readonly CompiledPort[], within: Bitset): Bitset {
    const dests = Bitsets.empty(this.hosts.length);
    for (const entry of entries) {
      if (entry.protocol !== this.protocol) continue;
      const m = entry.match;
      if (m.kind === 'named') Bitsets.orInto(dests, this.#named(m.name));
      else if (m.kind === 'all' || (this.port >= m.from && this.port <= m.to)) return within;
    }
    Bitsets.andInto(dests, within);
    return dests;
  }

  #named(name: string): Bitset {
    let set = this.#byName.get(name);
    if (!set) {
      set = Bitsets.empty(this.hosts.length);
      for (const h of this.hosts) if (h.kind === 'pod' && h.ports.some((p) => p.name === name && p.port === this.port && p.protocol === this.protocol)) Bitsets.add(set, h.index);
      this.#byName.set(name, set);
    }
    return set;
  }
}

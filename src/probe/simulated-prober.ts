import { CellMap, type CellKey, type ClusterState, type HttpProbe } from '../model/index.js';
import { FamilyPolicies } from '../policy/index.js';
import type { Observation } from './observation.js';
import type { Prober } from './prober.js';

/**
 * A prober that asks the engine instead of sending packets: what a perfectly conforming datapath
 * would observe for the current state. Used to exercise the runner without a datapath; never
 * presented as a provider.
 */
export class SimulatedProber implements Prober {
  constructor(
    private readonly currentState: () => ClusterState,
    /** The scenario's HTTP probes, which request cells name (`CellKey.request`). */
    private readonly requests: readonly HttpProbe[] = [],
  ) {}

  /** The engine's verdict for every cell, as if probed. */
  async observe(cells: readonly CellKey[]): Promise<CellMap<Observation>> {
    const state = this.currentState();
    const compiled = new FamilyPolicies(state.topology, state.policies, this.requests);
    const out = new CellMap<Observation>();
    for (const key of cells) {
      const verdict = compiled.verdict(key);
      out.set(key, { connectivity: verdict, raw: verdict === 'allowed' ? 'connected' : verdict === 'blocked' ? 'timeout' : verdict });
    }
    return out;
  }
}

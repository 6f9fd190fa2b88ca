import { cellId, CellMap, externalRef, isExternalRef, type CellKey, type Topology } from '../model/index.js';
import type { Observation } from './observation.js';
import type { Prober } from './prober.js';

/**
 * A real external host (the cloud metadata endpoint on an existing cluster) may simply not exist
 * where netseg runs, and then every probe to it times out with or without policies. So a drop to a
 * real host counts as "blocked" only when the same cell reached it in the no-policy baseline;
 * otherwise it is "unknown" with that reason, and an absent server never reads as a policy at work.
 */
export class RealExternalBaseline implements Prober {
  readonly #reached = new Set<string>();
  readonly #real: ReadonlySet<string>;
  #taken = false;

  constructor(
    private readonly inner: Prober,
    topology: Pick<Topology, 'externals'>,
  ) {
    this.#real = new Set(topology.externals.filter((e) => e.real).map((e) => externalRef(e.name)));
  }

  /** Probes the real-external cells once with no policy in force and remembers which ones connected. */
  async baseline(cells: readonly CellKey[], signal?: AbortSignal): Promise<void> {
    const mine = cells.filter((c) => this.#isReal(c));
    this.#taken = true;
    if (mine.length === 0) return;
    const seen = await this.inner.observe(mine, signal);
    for (const c of mine) if (seen.get(c)?.connectivity === 'allowed') this.#reached.add(cellId(c));
  }

  /** The inner prober's observation, with drops to real hosts the baseline never reached turned into "unknown". */
  async observe(cells: readonly CellKey[], signal?: AbortSignal): Promise<CellMap<Observation>> {
    const out = await this.inner.observe(cells, signal);
    for (const c of cells) {
      const obs = out.get(c);
      if (!obs || obs.connectivity !== 'blocked' || !this.#isReal(c) || this.#reached.has(cellId(c))) continue;
      const why = this.#taken ? 'was not reached with no policy in force either' : 'has no no-policy baseline yet';
      out.set(c, { connectivity: 'unknown', raw: obs.raw ?? 'timeout', detail: `real host ${c.to.slice('external:'.length)} ${why}: a drop to it proves no policy` });
    }
    return out;
  }

  #isReal(c: CellKey): boolean {
    return isExternalRef(c.to) && this.#real.has(c.to);
  }
}

import type { CellKey, CellMap } from '../model/index.js';
import type { Observation } from './observation.js';

/** Observes the connectivity of cells: by sending packets (ClusterProber) or by asking the engine (SimulatedProber). */
export interface Prober {
  observe(cells: readonly CellKey[], signal?: AbortSignal): Promise<CellMap<Observation>>;
  /** Called once per deployment with no policy in force, after pods reach each other (see RealExternalBaseline). */
  baseline?(cells: readonly CellKey[], signal?: AbortSignal): Promise<void>;
}

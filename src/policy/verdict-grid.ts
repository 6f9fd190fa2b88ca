import type { Connectivity, PeerRef } from '../model/index.js';

/** Verdict codes stored in a grid, in this order. */
const CODES: readonly Connectivity[] = ['allowed', 'blocked', 'invalid-port', 'ambiguous', 'denied', 'unknown'];

/**
 * Dense verdicts of one slice (target kind, port, protocol): one byte per (source host, destination
 * host), rows = every pod (then every external host when some external host is a probe source),
 * columns = every pod then every external host, in topology order. This is the engine's fast path:
 * no per-cell object or string is created.
 */
export class VerdictGrid {
  /** Code of "allowed" in `codes`. */
  static readonly ALLOWED = 0;
  /** Code of "blocked" in `codes`. */
  static readonly BLOCKED = 1;
  /** Code of "invalid-port" in `codes`. */
  static readonly INVALID_PORT = 2;
  /** Code of "ambiguous" in `codes` (equal-priority ClusterNetworkPolicies disagree). */
  static readonly AMBIGUOUS = 3;
  /** Code of "denied" in `codes` (an L7 layer refused the request or closed the connection). */
  static readonly DENIED = 4;
  /** Code of "unknown" in `codes`: an L7 layer cannot judge the cell (it is reported unsupported). */
  static readonly UNKNOWN = 5;
  /** The verdict of each code. */
  static readonly VERDICTS: readonly Connectivity[] = CODES;

  constructor(
    readonly rows: readonly PeerRef[],
    readonly columns: readonly PeerRef[],
    readonly codes: Uint8Array,
    private readonly indexOf: ReadonlyMap<PeerRef, number>,
  ) {}

  /** The verdict at (row index, column index). */
  at(row: number, column: number): Connectivity {
    return CODES[this.codes[row * this.columns.length + column]!]!;
  }

  /** The verdict of a flow from a source (pod or external source) to a pod or external host; throws on an unknown ref. */
  get(from: PeerRef, to: PeerRef): Connectivity {
    const row = this.indexOf.get(from);
    const column = this.indexOf.get(to);
    if (row === undefined || row >= this.rows.length) throw new Error(`unknown source: ${from}`);
    if (column === undefined) throw new Error(`unknown destination: ${to}`);
    return this.at(row, column);
  }
}

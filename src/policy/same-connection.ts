import type { CellKey } from '../model/index.js';

/** The fields that name a connection: what the L3/L4 layers judge (a request cell's `request` is not among them). */
export type ConnectionFields = Pick<CellKey, 'target' | 'port' | 'protocol' | 'family'>;

/**
 * True when two cells or slices judge the same connection at L3/L4: an HTTP request cell's L3/L4
 * verdict and explanation are its connection's (same target, port, protocol, family), computed once
 * per connection; only an L7 layer may tell its requests apart.
 */
export function sameConnection(a: ConnectionFields, b: ConnectionFields): boolean {
  return a.target === b.target && a.port === b.port && a.protocol === b.protocol && a.family === b.family;
}

/**
 * Documented limits of `netseg check` (README "Known limits"), enforced before any work so a huge
 * scenario exits 2 naming the limit instead of exhausting memory: one byte per cell of a step's grid,
 * and the cells reporters listing every cell (json, junit, html) hold as objects and documents.
 */
export const CHECK_BOUNDS = {
  /** Cells of one step (sources × destinations per slice, summed over slices). */
  cellsPerStep: 250_000_000,
  /** Cells of one scenario (all steps) when a reporter lists every cell. */
  listedCells: 250_000,
} as const;

import {
  EXPECTATIONS,
  type CellReport,
  type CellSpace,
  type ClusterState,
  type Connectivity,
  type Expectation,
  type HttpProbe,
  type StatusCounts,
  type Step,
  emptyCounts,
} from '../model/index.js';
import { FamilyPolicies, sameConnection, VerdictGrid } from '../policy/index.js';
import { resolveExpectationCodes } from '../scenario/index.js';
import { compareCell } from './compare-cell.js';
import { explainCells, hostIndexOf } from './explain-cells.js';

const IGNORED = EXPECTATIONS.indexOf('ignored');
const VERDICT_COUNT = VerdictGrid.VERDICTS.length;
/** Per verdict code, the expectation code that verdict satisfies exactly (-1: none, e.g. ambiguous). */
const COMPUTED = VerdictGrid.VERDICTS.map((v) => EXPECTATIONS.indexOf(v as Expectation));

/**
 * A step's engine verdicts and expectations over a cell space, one byte per cell
 * (expectation × 3 + verdict): what `check` and `plan` keep instead of per-cell objects. Records,
 * explanations and report rows are built from it only for the cells someone prints or writes.
 */
export class StepGrid {
  private constructor(
    readonly space: CellSpace,
    readonly compiled: FamilyPolicies,
    readonly codes: Uint8Array,
  ) {}

  /** Evaluates a step's state with the engine's verdict grids and resolves its expectation (declared, or the engine's own for `computed`). */
  static evaluate(step: Step, state: ClusterState, space: CellSpace, requests: readonly HttpProbe[] = []): StepGrid {
    const compiled = new FamilyPolicies(state.topology, state.policies, requests);
    const computed = step.expect.kind === 'computed';
    const codes = step.expect.kind === 'declared' ? resolveExpectationCodes(step.expect, space, state) : new Uint8Array(space.size);
    for (const slice of space.slices) {
      const family = compiled.of(slice.family);
      const grid = family.cellGrid(slice.target, slice.port, slice.protocol, slice.request, slice.family);
      const width = grid.columns.length;
      const destinationHosts = Int32Array.from(slice.destinations, (d) => hostIndexOf(family, d));
      for (const part of space.parts) {
        const inPart = part.slices.find((p) => p.index === slice.index);
        if (!inPart) continue;
        part.sources.forEach((from, s) => {
          const host = hostIndexOf(family, from);
          const base = host * width;
          const at = part.start + s * part.rowLength + inPart.offset;
          for (let j = 0; j < destinationHosts.length; j++) {
            const verdict = grid.codes[base + destinationHosts[j]!]!;
            // `computed` takes the engine's allowed/blocked/denied as the expectation; self cells stay don't-care, as in declared ones.
            const expected = computed ? (COMPUTED[verdict]! >= 0 && destinationHosts[j] !== host ? COMPUTED[verdict]! : IGNORED) : codes[at + j]!;
            codes[at + j] = expected * VERDICT_COUNT + verdict;
          }
        });
      }
      // A TCP port's request slices follow its connection slice and share its L3/L4 grid: keep it for them.
      const next = space.slices[slice.index + 1];
      if (next === undefined || !sameConnection(slice, next)) compiled.releaseGrids();
    }
    return new StepGrid(space, compiled, codes);
  }

  /** The expectation of cell `i`. */
  expected(i: number): Expectation {
    return EXPECTATIONS[Math.floor(this.codes[i]! / VERDICT_COUNT)]!;
  }

  /** The engine's verdict of cell `i`. */
  engine(i: number): Connectivity {
    return VerdictGrid.VERDICTS[this.codes[i]! % VERDICT_COUNT]!;
  }

  /**
   * Whether the engine's verdict of cell `i` satisfies its expectation (ambiguous satisfies every one); a
   * cell an L7 layer cannot judge (`unknown`) disagrees with nothing: it is unsupported, not failed.
   */
  agrees(i: number): boolean {
    const code = this.codes[i]!;
    const expected = Math.floor(code / VERDICT_COUNT);
    const verdict = code % VERDICT_COUNT;
    return expected === IGNORED || verdict === VerdictGrid.AMBIGUOUS || verdict === VerdictGrid.UNKNOWN || COMPUTED[verdict] === expected;
  }

  /** Check-mode counts: pass when the engine agrees with the expectation, fail (an engine disagreement) otherwise, unsupported when L7 cannot judge. */
  checkCounts(): StatusCounts {
    let fail = 0;
    let unsupported = 0;
    for (let i = 0; i < this.codes.length; i++) {
      if (this.codes[i]! % VERDICT_COUNT === VerdictGrid.UNKNOWN) unsupported++;
      else if (!this.agrees(i)) fail++;
    }
    return { ...emptyCounts(), pass: this.codes.length - fail - unsupported, fail, unsupported, engineDisagreements: fail };
  }

  /** Per slice of the space, whether some cell of it fails in check mode. */
  failingSlices(): boolean[] {
    const failing = this.space.slices.map(() => false);
    for (const part of this.space.parts) {
      for (const slice of part.slices) {
        if (failing[slice.index]) continue;
        const end = part.start + part.sources.length * part.rowLength;
        for (let at = part.start + slice.offset; at < end && !failing[slice.index]; at += part.rowLength) {
          for (let j = 0; j < slice.destinations.length; j++) {
            if (!this.agrees(at + j)) {
              failing[slice.index] = true;
              break;
            }
          }
        }
      }
    }
    return failing;
  }

  /** Check-mode report rows with the engine's explanations, in cell order, of the slices `include` keeps. */
  checkCells(include: (slice: number) => boolean): CellReport[] {
    const cells: CellReport[] = [];
    const rows = explainCells(this.compiled, this.space, include, (index, from, to, { target, port, protocol, family, request }, explanation): CellReport =>
      compareCell({ key: { from, to, target, port, protocol, ...(request !== undefined && { request }), ...(family && { family }) }, expected: this.expected(index), explanation }),
    );
    for (const row of rows) for (const cell of row) cells.push(cell);
    return cells;
  }
}

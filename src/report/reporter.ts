import type { RunReport } from '../model/index.js';

/** How a reporter should render; decided by the writer (colour only for a terminal). */
export interface RenderOptions {
  /** Emit ANSI colour escapes (only meaningful for terminal output). */
  readonly color: boolean;
  /** Where the complete report can be read (e.g. the CI run's artifacts); size-limited renderers link to it when they shorten. */
  readonly reportUrl?: string;
}

/** A pure renderer of a RunReport into one text document. */
export interface Reporter {
  /** Name used on the command line (`--reporter NAME[=FILE]`). */
  readonly name: string;
  /** File extension of the rendered document, without the dot. */
  readonly extension: string;
  /**
   * The cells it needs in a check report: every cell, or only those of slices with a problem (it
   * then reads the others from `StepReport.omittedSlices`), which spares materialising big passing matrices.
   */
  readonly listing: 'every-cell' | 'problem-slices';
  /** Renders the whole report; deterministic for a given report and options. */
  render(report: RunReport, options: RenderOptions): string;
}

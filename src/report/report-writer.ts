import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { EnvironmentError, InputError, type RunReport } from '../model/index.js';
import { getReporter } from './registry.js';
import type { ReporterSpec } from './reporter-spec.js';

/** Where reports go: the process's stdout and whether it is a terminal; `env` defaults to process.env (for NO_COLOR). */
export interface ReportIO {
  readonly stdout: NodeJS.WritableStream;
  readonly isTTY: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Renders the report with each spec's reporter and writes it to its file (parent directories created,
 * written atomically through a temporary file) or to stdout. Colour only for `table` on a TTY stdout
 * without NO_COLOR. Returns the files written, in spec order.
 */
export async function writeReports(report: RunReport, specs: readonly ReporterSpec[], io: ReportIO): Promise<string[]> {
  checkTargets(specs);
  const env = io.env ?? process.env;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const written: string[] = [];
  for (const spec of specs) {
    const reporter = getReporter(spec.name);
    // Specs come from parseReporterSpec, so an unknown name here is a programming error.
    if (!reporter) throw new Error(`writeReports: unknown reporter "${spec.name}"`);
    const color = spec.file === undefined && reporter.name === 'table' && io.isTTY && !noColor;
    const reportUrl = fullReportUrl(env);
    const text = reporter.render(report, reportUrl ? { color, reportUrl } : { color });
    if (spec.file === undefined) await writeStream(io.stdout, text);
    else {
      await writeFileAtomic(spec.file, text);
      written.push(spec.file);
    }
  }
  return written;
}

/** NETSEG_REPORT_URL, else on GitHub Actions the run's page (which lists its artifacts), else none. */
function fullReportUrl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.NETSEG_REPORT_URL) return env.NETSEG_REPORT_URL;
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

/** Two reporters must not write the same file (the second would silently replace the first). */
function checkTargets(specs: readonly ReporterSpec[]): void {
  const seen = new Map<string, string>();
  for (const spec of specs) {
    if (spec.file === undefined) continue;
    const path = resolve(spec.file);
    const other = seen.get(path);
    if (other !== undefined) {
      throw InputError.commandLine('--reporter', `reporters ${other} and ${spec.name} both write ${spec.file}; give each its own file`);
    }
    seen.set(path, spec.name);
  }
}

/** Writes through a temporary sibling and renames, so a reader never sees a half-written report. */
async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new EnvironmentError(`cannot write report ${file}: ${reason}`, 'check that the directory is writable, or choose another path with --reporter NAME=FILE');
  }
}

/** Writes to a stream and waits until the data is handed off. */
function writeStream(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolveWrite, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolveWrite()));
  });
}

// Worker of the input fuzz test: runs a netseg command in-process for each input it is sent, inside the
// memory limit the test gives the worker, and posts back the exit code, the output and any Node warning.
import { PassThrough } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { runCli } from '../../../src/cli/program.js';

/** A request: run `netseg <argv>` for input `index`. */
export interface FuzzJob {
  readonly index: number;
  readonly argv: readonly string[];
}

/** The answer to a FuzzJob. */
export interface FuzzResult {
  readonly index: number;
  readonly code: number;
  readonly output: string;
  readonly warnings: readonly string[];
  readonly ms: number;
  readonly heapMb: number;
}

const warnings: string[] = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));

/** Keeps the start and the size of what a command wrote (a mutated input may be echoed at length). */
function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  let size = 0;
  stream.on('data', (c: Buffer) => {
    size += c.length;
    if (text.length < 20_000) text += c.toString();
  });
  return { stream, text: () => (size > text.length ? `${text}\n[${size} bytes in all]` : text) };
}

parentPort!.on('message', async (job: FuzzJob) => {
  warnings.length = 0;
  const out = capture();
  const err = capture();
  const start = performance.now();
  const code = await runCli(job.argv, { stdout: out.stream, stderr: err.stream, signal: new AbortController().signal });
  // Warnings are emitted on the next tick; let them arrive before answering.
  await new Promise((r) => setImmediate(r));
  const result: FuzzResult = { index: job.index, code, output: `${err.text()}\n${out.text()}`, warnings: [...warnings], ms: performance.now() - start, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
  parentPort!.postMessage(result);
});

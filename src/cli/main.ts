#!/usr/bin/env node
// The only place that calls process.exit: maps the command's result to the documented exit codes.
// The signal handlers come first and the CLI is imported after them, so an interrupt while its
// modules load is an interrupt like any other (exit 130), not the signal's default death.

const controller = new AbortController();
let interrupted = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    interrupted++;
    // First signal: abort so the run tears down what it created; a second one forces the exit.
    if (interrupted === 1) {
      process.stderr.write(`\nnetseg: ${sig} received, cleaning up (send it again to exit at once)\n`);
      controller.abort(Object.assign(new Error(`interrupted by ${sig}`), { name: 'AbortError' }));
    } else {
      process.exit(130);
    }
  });
}

const { runCli } = await import('./program.js');
const result = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
// A signal that came after the command finished its work still ends the process as interrupted.
const code = controller.signal.aborted ? 130 : result;
process.exitCode = code;
// Flush stdout before exiting: reports may be large and stdout a pipe.
process.stdout.write('', () => process.exit(code));

// Entry point of the bundled probe agent (dist/agent/netseg-agent.mjs): wires the real process to the CLI.
import { runAgentCli } from './agent-cli.js';
import { readFirstLine } from './read-first-line.js';

/** Far above a 100,000-job batch (about 20 MB of JSON), far below what could exhaust a pod's memory. */
const MAX_STDIN_BYTES = 64 * 1024 * 1024;

const waitForStop = (): Promise<string> =>
  new Promise((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
  });

const code = await runAgentCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFirstLine(process.stdin, MAX_STDIN_BYTES),
  env: process.env,
  waitForStop,
});
// Exit explicitly once output is flushed: signal handlers and pending sockets must not keep us alive.
process.stdout.write('', () => process.exit(code));

// Entry point of the bundled probe agent (dist/agent/netseg-agent.mjs): wires the real process to the CLI.
import { text } from 'node:stream/consumers';
import { runAgentCli } from './agent-cli.js';

const waitForStop = (): Promise<string> =>
  new Promise((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
  });

const code = await runAgentCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => text(process.stdin),
  env: process.env,
  waitForStop,
});
// Exit explicitly once output is flushed: signal handlers and pending sockets must not keep us alive.
process.stdout.write('', () => process.exit(code));

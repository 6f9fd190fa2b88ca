// Child process of the SIGINT e2e test: provisions and deploys a netns topology, disposing it on
// SIGINT as the runner does. Prints "deploying", then "ready" once everything is up.
import { NetnsProvider } from '../../src/providers/netns/index.js';
import { AGENT_BUNDLE, smallTopology } from './netns-helpers.js';

const [runId, runDir] = process.argv.slice(2) as [string, string];
const env = await new NetnsProvider({ agentBundle: AGENT_BUNDLE }).provision({ runId, runDir, log: () => {} });
// process.on, not once: execa's signal-exit re-raises SIGINT when it finds itself the only listener,
// which a `once` listener no longer is by the time signal-exit looks.
process.on('SIGINT', () => {
  void env[Symbol.asyncDispose]().then(() => {
    process.stdout.write('disposed\n', () => process.exit(130));
  });
});
console.log('deploying');
await env.deploy(smallTopology()).then(
  () => console.log('ready'),
  (e: unknown) => console.log(`deploy stopped: ${e instanceof Error ? e.message : String(e)}`),
);
setInterval(() => {}, 1000);

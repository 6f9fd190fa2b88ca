import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../model/index.js';

/** Where the bundle lies relative to this module: dist/providers/kube → dist/agent, src/providers/kube → dist/agent. */
const CANDIDATES = ['../../agent/netseg-agent.mjs', '../../../dist/agent/netseg-agent.mjs'];

/** Path of the bundled agent (dist/agent/netseg-agent.mjs), or undefined when it was not built. */
export function findAgentBundle(): string | undefined {
  for (const rel of CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Reads the agent bundle that probe pods mount from a ConfigMap; EnvironmentError when it is missing. */
export function loadAgentBundle(path: string | undefined = findAgentBundle()): string {
  if (!path || !existsSync(path)) {
    throw new EnvironmentError(
      `the probe agent bundle was not found${path ? ` at ${path}` : ' (dist/agent/netseg-agent.mjs)'}`,
      'build it with `npm run build` (or `node scripts/bundle-agent.mjs`) in the netseg checkout',
    );
  }
  return readFileSync(path, 'utf8');
}

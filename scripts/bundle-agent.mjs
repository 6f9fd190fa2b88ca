// Bundles the probe agent into one file (dist/agent/netseg-agent.mjs) with esbuild, so it can be
// mounted into any pod running the official Node image, with no node_modules.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';

const entry = 'src/agent/main.ts';
if (!existsSync(entry)) {
  console.log('bundle-agent: no agent yet, skipped');
} else {
  mkdirSync('dist/agent', { recursive: true });
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    outfile: 'dist/agent/netseg-agent.mjs',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    legalComments: 'none',
    logLevel: 'warning',
  });
}

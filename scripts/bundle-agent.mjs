// Bundles the probe agent into one file (dist/agent/netseg-agent.mjs) with esbuild, so it can be
// mounted into any pod running the official Node image, with no node_modules.
// `--outfile PATH` writes elsewhere (the bundle test builds into a temp dir).
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outfile: { type: 'string' } } });
const entry = join(root, 'src/agent/main.ts');
const outfile = values.outfile ?? join(root, 'dist/agent/netseg-agent.mjs');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

if (!existsSync(entry)) {
  console.log('bundle-agent: no agent yet, skipped');
} else {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    outfile,
    define: { __NETSEG_AGENT_VERSION__: JSON.stringify(version) },
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    // koffi (a native FFI) is loaded only by the netns hub, which runs from netseg's own install; an
    // agent in a pod never imports it, so the bundle stays one file.
    external: ['koffi'],
    legalComments: 'none',
    logLevel: 'warning',
  });
}

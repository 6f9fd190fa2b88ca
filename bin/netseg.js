#!/usr/bin/env node
// Launcher: checks the Node version, then runs the compiled CLI (built by `npm ci` through the `prepare` script).
// Only dynamic imports below the check: static ones would be loaded (and could fail with a raw stack) before it runs.

// Keep in step with "engines" in package.json (a test compares them).
const NEEDED = { major: 22, minor: 19 };

const found = process.versions.node;
const [major, minor] = found.split('.').map(Number);
if (major < NEEDED.major || (major === NEEDED.major && minor < NEEDED.minor)) {
  process.stderr.write(
    `netseg: this is Node ${found}; netseg needs Node >= ${NEEDED.major}.${NEEDED.minor}. Install a current Node (https://nodejs.org/en/download, or \`nvm install 22\`) and put it first on PATH (sudo resets PATH: \`sudo env "PATH=$PATH" npx netseg …\`).\n`,
  );
  process.exit(3);
}

const { existsSync } = await import('node:fs');
const { fileURLToPath } = await import('node:url');
const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('netseg: the CLI is not built; run `npm run build` (npm ci does it through prepare).\n');
  process.exit(3);
}
await import(main);

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from './agent-test-support.js';

/** Module paths under an `agent/` directory that a source text imports at run time (type-only imports are erased). */
function runtimeAgentImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'([^']*\/agent\/[^']+)'/gm)) found.push(m[1] as string);
  for (const m of text.matchAll(/\bimport\(\s*'([^']*\/agent\/[^']+)'\s*\)/g)) found.push(m[1] as string);
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/**
 * The npm package ships the agent as its bundle plus dist/agent/protocol.js only (package.json
 * `files`), so code outside src/agent that loads any other agent module at run time works from a
 * checkout and breaks once installed. The package e2e test finds that late; this finds it at once.
 */
describe('agent imports', () => {
  describe('#runtimeAgentImports()', () => {
    it('should see value imports, re-exports and dynamic imports of agent modules, and not type-only ones', () => {
      const text = [
        "import { TCP_HELLO } from '../agent/protocol.js';",
        "import type { HubSpec } from '../agent/hub-spec.js';",
        "import {\n  a,\n  b,\n} from '../../agent/tcp-probe.js';",
        "export { x } from '../agent/x.js';",
        "const m = await import('../agent/netns-sockets.js');",
      ].join('\n');
      expect(runtimeAgentImports(text)).to.deep.equal(['../agent/protocol.js', '../../agent/tcp-probe.js', '../agent/x.js', '../agent/netns-sockets.js']);
    });
  });

  it('should load nothing of src/agent at run time outside it but protocol.js, the one agent module the package ships', () => {
    const offending = sources(join(REPO, 'src'))
      .filter((f) => !relative(join(REPO, 'src'), f).startsWith('agent/'))
      .flatMap((f) => runtimeAgentImports(readFileSync(f, 'utf8')).filter((p) => !p.endsWith('/agent/protocol.js')).map((p) => `${relative(REPO, f)}: ${p}`));
    expect(offending).to.deep.equal([]);
  });

  it('should keep protocol.js in the package files beside the bundle', () => {
    const files = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { files: string[] }).files;
    expect(files).to.include('dist/agent/protocol.js').and.include('!dist/agent/*.js');
  });
});

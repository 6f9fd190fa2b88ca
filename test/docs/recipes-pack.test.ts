import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const PACK = 'scenarios/recipes';
const POLICIES = join(PACK, 'policies');

/** The leading comment lines of a manifest file. */
function header(text: string): string[] {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => !l.startsWith('#'));
  return lines.slice(0, end === -1 ? lines.length : end);
}

describe('scenarios/recipes', () => {
  describe('policies/', () => {
    it('should name the source file and revision of every manifest, or say it is not from the recipes', async () => {
      const files = (await readdir(POLICIES)).filter((f) => f.endsWith('.yaml'));
      expect(files.length).to.be.greaterThan(0);
      for (const file of files) {
        const head = header(await readFile(join(POLICIES, file), 'utf8'));
        if (head[0]?.startsWith('# Not from the recipes:')) continue;
        expect(head[0], file).to.match(/^# Source: ahmetb\/kubernetes-network-policy-recipes, \d\d[a-z]?-[a-z-]+\.md/);
        expect(head[1], file).to.match(/^# Revision: ([0-9a-f]{40}|current master as of \d{4}-\d\d-\d\d)/);
      }
    });

    it('should hold only manifests that a recipe scenario applies', async () => {
      const scenarios = await Promise.all((await readdir(PACK)).filter((f) => f.endsWith('.yaml')).map((f) => readFile(join(PACK, f), 'utf8')));
      const used = new Set(scenarios.flatMap((s) => [...s.matchAll(/file: policies\/([\w.-]+\.yaml)/g)].map((m) => m[1]!)));
      const files = (await readdir(POLICIES)).filter((f) => f.endsWith('.yaml'));
      expect(files.filter((f) => !used.has(f))).to.deep.equal([]);
      expect([...used].filter((f) => !files.includes(f))).to.deep.equal([]);
    });
  });

  describe('README.md', () => {
    it('should list every scenario of the pack in its table, and only those', async () => {
      const readme = await readFile(join(PACK, 'README.md'), 'utf8');
      const listed = [...readme.matchAll(/^\| [^|]+ \| `([\w.-]+\.yaml)` \|/gm)].map((m) => m[1]!).sort();
      const files = (await readdir(PACK)).filter((f) => f.endsWith('.yaml')).sort();
      expect(listed).to.deep.equal(files);
    });
  });
});

import { expect } from 'chai';
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './netns-helpers.js';

describe('the npm package (e2e)', function () {
  this.timeout(600_000);
  let dir: string;
  let tarball: string;
  let files: string[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netseg-pack-'));
    // `npm pack` runs prepare (the build) first, like a publish would.
    const packed = await execa('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO });
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, info[0]!.filename);
    files = info[0]!.files.map((f) => f.path);
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should contain what npx netseg needs and nothing else (no sources, tests or source maps)', () => {
    for (const needed of ['bin/netseg.js', 'bin/kubectl-netseg.js', 'dist/cli/main.js', 'dist/cli/kubectl-plugin-args.js', 'dist/agent/netseg-agent.mjs', 'schema/scenario.schema.json', 'package.json', 'README.md']) {
      expect(files, needed).to.include(needed);
    }
    expect(files.some((f) => f.startsWith('scenarios/recipes/'))).to.equal(true);
    expect(files.some((f) => f.startsWith('clusters/'))).to.equal(true);
    const unwanted = files.filter((f) => /^(src|test|scripts|action|docs|\.ci|\.github)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts') || f === 'action.yml');
    expect(unwanted).to.deep.equal([]);
    // The agent runs as its one-file bundle; of its modules only the shared protocol is imported by the CLI.
    expect(files.filter((f) => f.startsWith('dist/agent/'))).to.have.members(['dist/agent/netseg-agent.mjs', 'dist/agent/protocol.js']);
  });

  it('should install into an empty folder and run netseg --version, kubectl-netseg --version and netseg check on the packaged scenarios', async () => {
    const app = join(dir, 'app');
    await mkdir(app);
    await execa('npm', ['init', '-y'], { cwd: app });
    await execa('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app });
    const version = (JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    const bin = join(app, 'node_modules', '.bin');
    expect((await execa(join(bin, 'netseg'), ['--version'], { cwd: app })).stdout.trim()).to.equal(version);
    expect((await execa(join(bin, 'kubectl-netseg'), ['--version'], { cwd: app })).stdout.trim()).to.equal(version);
    const check = await execa(join(bin, 'netseg'), ['check', 'node_modules/netseg/scenarios/'], { cwd: app, reject: false });
    expect(check.exitCode, check.stderr).to.equal(0);
    expect(check.stdout).to.match(/PASSED: \d+ scenarios/);
    // Every module resolves its imports inside the package (entry points that run on import excluded).
    const importAll = `
      import { readdirSync } from 'node:fs';
      const root = new URL('./node_modules/netseg/dist/', import.meta.url);
      const all = readdirSync(root, { recursive: true }).filter((f) => f.endsWith('.js') && f !== 'cli/main.js');
      for (const f of all) await import(new URL(f, root));
      console.log(all.length);`;
    const imported = await execa(process.execPath, ['--input-type=module', '-e', importAll], { cwd: app, reject: false });
    expect(imported.exitCode, imported.stderr).to.equal(0);
    expect(Number(imported.stdout)).to.be.greaterThan(100);
  });
});

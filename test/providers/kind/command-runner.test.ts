import { expect } from 'chai';
import { CommandError, ExecaCommandRunner } from '../../../src/providers/kind/command-runner.js';
import { createKindProvider } from '../../../src/providers/kind/kind-provider.js';
import { EnvironmentError } from '../../../src/model/index.js';

describe('ExecaCommandRunner', () => {
  const runner = new ExecaCommandRunner();

  it('should return output of a successful command', async () => {
    const r = await runner.run(process.execPath, ['-e', 'process.stdout.write("hi")']);
    expect(r).to.deep.equal({ stdout: 'hi', stderr: '', exitCode: 0 });
  });

  it('should reject with CommandError on a non-zero exit, or resolve with reject:false', async () => {
    const err = await runner.run(process.execPath, ['-e', 'console.error("boom"); process.exit(3)']).then(() => undefined, (e: unknown) => e as CommandError);
    expect(err).to.be.instanceOf(CommandError);
    expect(err!.message).to.match(/exit 3[\s\S]*boom/);
    expect((await runner.run(process.execPath, ['-e', 'process.exit(4)'], { reject: false })).exitCode).to.equal(4);
  });

  it('should kill a command at its bound', async () => {
    const started = Date.now();
    const r = await runner.run(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 300, reject: false });
    expect(r.exitCode).to.not.equal(0);
    expect(r.stderr).to.match(/timed out after 300 ms/);
    expect(Date.now() - started).to.be.below(5000);
  });

  it('should find executables on PATH and not find missing ones', async () => {
    expect(await runner.which('node')).to.match(/\/node$/);
    expect(await runner.which('netseg-no-such-tool')).to.equal(undefined);
  });
});

describe('createKindProvider() on this machine (real CommandRunner)', () => {
  it('should fail preflight with EnvironmentError when kind or a running container engine is missing', async function () {
    const runner = new ExecaCommandRunner();
    const docker = (await runner.which('docker')) ? await runner.run('docker', ['info'], { reject: false, timeoutMs: 15_000 }) : undefined;
    if ((await runner.which('kind')) && docker?.exitCode === 0) this.skip(); // a machine that can run kind
    const err = await createKindProvider({ cni: 'kindnet' }).preflight().then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(EnvironmentError);
  });
});

describe('ExecaCommandRunner cancellation', () => {
  it('should kill a command when its signal aborts', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 200);
    const r = await new ExecaCommandRunner().run(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { signal: ac.signal, reject: false });
    expect(r.exitCode).to.not.equal(0);
    expect(r.stderr).to.contain('(canceled)');
    expect(Date.now() - started).to.be.below(5000);
  });
});

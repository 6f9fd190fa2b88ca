import { expect } from 'chai';
import { EnvironmentError } from '../../../src/model/index.js';
import { cleanupKind } from '../../../src/providers/kind/cleanup-kind.js';
import { FakeProcessRunner } from '../../fakes/fake-process-runner.js';

describe('cleanupKind()', () => {
  const listing = [{ prefix: 'kind get clusters', result: { stdout: 'dev\nnetseg-r1\nnetseg-r2\nnetsegx\n' } }];

  it('should delete every cluster named netseg-*, and nothing else', async () => {
    const runner = new FakeProcessRunner(undefined, listing);
    const r = await cleanupKind(runner);
    expect(r.deleted).to.deep.equal(['netseg-r1', 'netseg-r2']);
    expect(r.failed).to.deep.equal([]);
    expect(runner.commands).to.deep.equal(['kind get clusters', 'kind delete cluster --name netseg-r1', 'kind delete cluster --name netseg-r2']);
  });

  it('should delete only one run\'s cluster when a run id is given', async () => {
    const runner = new FakeProcessRunner(undefined, listing);
    expect((await cleanupKind(runner, { runId: 'r2' })).deleted).to.deep.equal(['netseg-r2']);
  });

  it('should report a skip when kind is not installed', async () => {
    const r = await cleanupKind(new FakeProcessRunner(new Set()));
    expect(r).to.deep.equal({ deleted: [], failed: [], skipped: 'kind is not installed' });
  });

  it('should list a cluster whose delete failed as failed, not deleted, and still delete the others', async () => {
    const failing = { prefix: 'kind delete cluster --name netseg-r1', result: { exitCode: 1, stderr: 'ERROR: failed to delete cluster "netseg-r1": docker rm: device busy\n' } };
    const runner = new FakeProcessRunner(undefined, [...listing, failing]);
    const r = await cleanupKind(runner);
    expect(r.deleted).to.deep.equal(['netseg-r2']);
    expect(r.failed).to.have.length(1);
    expect(r.failed[0]).to.match(/^netseg-r1: ERROR: failed to delete cluster "netseg-r1": docker rm: device busy$/);
  });

  it('should be an environment problem (exit 3), not a bug, when kind cannot list its clusters', async () => {
    const noEngine = { prefix: 'kind get clusters', result: { exitCode: 1, stderr: 'ERROR: failed to list clusters: command "docker ps" failed: Cannot connect to the Docker daemon\n' } };
    const err = await cleanupKind(new FakeProcessRunner(undefined, [noEngine])).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).to.match(/none was removed: .*Cannot connect to the Docker daemon/);
  });
});

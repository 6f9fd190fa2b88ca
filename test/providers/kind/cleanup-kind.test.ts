import { expect } from 'chai';
import { cleanupKind } from '../../../src/providers/kind/cleanup-kind.js';
import { FakeProcessRunner } from '../../fakes/fake-process-runner.js';

describe('cleanupKind()', () => {
  const listing = [{ prefix: 'kind get clusters', result: { stdout: 'dev\nnetseg-r1\nnetseg-r2\nnetsegx\n' } }];

  it('should delete every cluster named netseg-*, and nothing else', async () => {
    const runner = new FakeProcessRunner(undefined, listing);
    const r = await cleanupKind(runner);
    expect(r.deleted).to.deep.equal(['netseg-r1', 'netseg-r2']);
    expect(runner.commands).to.deep.equal(['kind get clusters', 'kind delete cluster --name netseg-r1', 'kind delete cluster --name netseg-r2']);
  });

  it('should delete only one run\'s cluster when a run id is given', async () => {
    const runner = new FakeProcessRunner(undefined, listing);
    expect((await cleanupKind(runner, { runId: 'r2' })).deleted).to.deep.equal(['netseg-r2']);
  });

  it('should report a skip when kind is not installed', async () => {
    const r = await cleanupKind(new FakeProcessRunner(new Set()));
    expect(r).to.deep.equal({ deleted: [], skipped: 'kind is not installed' });
  });
});

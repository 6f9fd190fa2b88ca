import { expect } from 'chai';
import { pollUntil } from '../../../src/providers/kube/poll-until.js';
import { FakeClock } from '../../fakes/fake-clock.js';

describe('pollUntil()', () => {
  it('should return the value once the check is done', async () => {
    let n = 0;
    const r = await pollUntil(async () => (++n >= 3 ? { done: true, value: n } : { done: false, reason: `n=${n}` }), { clock: new FakeClock(), timeoutMs: 10_000, intervalMs: 1000 });
    expect(r).to.deep.equal({ ok: true, value: 3 });
  });

  it('should stop at the time bound with the last reason', async () => {
    const clock = new FakeClock();
    let n = 0;
    const r = await pollUntil(async () => ({ done: false, reason: `n=${++n}` }), { clock, timeoutMs: 5000, intervalMs: 1000 });
    expect(r).to.deep.include({ ok: false, lastReason: `n=${n}` });
    expect(clock.slept).to.be.at.most(5000);
    expect(n).to.be.within(5, 6);
  });

  it('should double the pause up to maxIntervalMs: a quick first answer, then few calls', async () => {
    const clock = new FakeClock();
    const pauses: number[] = [];
    const sleep = clock.sleep.bind(clock);
    clock.sleep = async (ms: number) => (pauses.push(ms), sleep(ms));
    await pollUntil(async () => ({ done: false, reason: 'no' }), { clock, timeoutMs: 10_000, intervalMs: 250, maxIntervalMs: 2000 });
    expect(pauses.slice(0, 6)).to.deep.equal([250, 500, 1000, 2000, 2000, 2000]);
    expect(clock.slept).to.equal(10_000);
  });

  it('should stop at the attempt cap even when the clock does not move', async () => {
    const frozen = { now: () => 0, sleep: async () => {} };
    let n = 0;
    const r = await pollUntil(async () => ({ done: false, reason: String(++n) }), { clock: frozen, timeoutMs: 1000, intervalMs: 100, maxAttempts: 4 });
    expect(r.ok).to.equal(false);
    expect(n).to.equal(4);
  });
});

import type { Clock } from '../../src/model/index.js';

/** A clock whose sleep returns at once and advances virtual time, so bounded waits run instantly in tests. */
export class FakeClock implements Clock {
  slept = 0;
  constructor(public time = 1_000_000) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms;
    this.slept += ms;
  }
}

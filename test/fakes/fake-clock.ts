import type { Clock } from '../../src/app/clock.js';

/** A clock whose time only moves when something sleeps (or `advance` is called). */
export class FakeClock implements Clock {
  #now = 1_700_000_000_000;
  sleeps: number[] = [];

  now(): number {
    return this.#now;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.#now += ms;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

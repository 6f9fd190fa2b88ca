import type { Progress } from './progress.js';

type Entry =
  | { readonly kind: 'info'; readonly message: string }
  | { readonly kind: 'stepStarted'; readonly args: readonly [string, string, number, number] }
  | { readonly kind: 'stepDone'; readonly summary: string };

/**
 * Keeps the progress of scenarios running at once grouped per scenario and in scenario order: the
 * earliest unfinished scenario prints live, the others are held back and printed, in one piece,
 * when their turn comes. Probe rounds of held-back scenarios are dropped (they only rewrite a TTY
 * status line).
 */
export class OrderedProgress {
  readonly #held = new Map<number, Entry[]>();
  readonly #finished = new Set<number>();
  #head = 0;

  constructor(private readonly out: Progress) {}

  /** The progress of scenario `index`. */
  lane(index: number): Progress {
    const put = (entry: Entry): void => {
      if (index === this.#head) this.#emit(entry);
      else this.#held.set(index, [...(this.#held.get(index) ?? []), entry]);
    };
    return {
      info: (message) => put({ kind: 'info', message }),
      stepStarted: (...args) => put({ kind: 'stepStarted', args }),
      round: (...args) => {
        if (index === this.#head) this.out.round(...args);
      },
      stepDone: (summary) => put({ kind: 'stepDone', summary }),
    };
  }

  /** Marks scenario `index` finished; later scenarios' held-back progress follows it. */
  finish(index: number): void {
    this.#finished.add(index);
    while (this.#finished.has(this.#head)) {
      this.#head++;
      for (const entry of this.#held.get(this.#head) ?? []) this.#emit(entry);
      this.#held.delete(this.#head);
    }
  }

  #emit(entry: Entry): void {
    switch (entry.kind) {
      case 'info':
        return this.out.info(entry.message);
      case 'stepStarted':
        return this.out.stepStarted(...entry.args);
      case 'stepDone':
        return this.out.stepDone(entry.summary);
    }
  }
}

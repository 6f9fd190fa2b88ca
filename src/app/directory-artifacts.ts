import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ArtifactSink } from '../model/index.js';

/** The artifacts directory of a run: `--artifacts DIR`, else on CI (`CI` set, and not `false`/`0`/`no`) `.netseg/<run id>` under the working directory. */
export function artifactsDirFor(flag: string | undefined, runId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag) return resolve(flag);
  return isCi(env.CI) ? resolve('.netseg', runId) : undefined;
}

/** CI systems set CI to a non-empty value; `false` and `0` are how people switch it off. */
function isCi(value: string | undefined): boolean {
  return value !== undefined && value !== '' && !/^(false|0|no)$/i.test(value);
}

/** An ArtifactSink writing below one directory; every path segment is made a safe file name, so no write leaves the root. */
export class DirectoryArtifacts implements ArtifactSink {
  readonly root: string;
  #used = false;

  constructor(
    root: string,
    private readonly log: (message: string) => void = () => {},
  ) {
    this.root = resolve(root);
  }

  /** Writes one file (best effort). */
  async write(path: string, content: string): Promise<void> {
    const file = this.#path(path);
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content);
      this.#used = true;
    } catch (e) {
      this.log(`could not write artifact ${file}: ${(e as Error).message}`);
    }
  }

  /** Creates a directory and returns its absolute path. */
  async directory(path: string): Promise<string> {
    const dir = this.#path(path);
    await mkdir(dir, { recursive: true });
    this.#used = true;
    return dir;
  }

  /** Whether anything was kept: a run that wrote nothing (nothing failed on netns) has no directory to point at. */
  get used(): boolean {
    return this.#used;
  }

  #path(path: string): string {
    const segments = path.split('/').filter(Boolean).map(safeSegment);
    return join(this.root, ...segments);
  }
}

function safeSegment(segment: string): string {
  const safe = segment.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
  return /^\.+$/.test(safe) ? '_' : safe;
}

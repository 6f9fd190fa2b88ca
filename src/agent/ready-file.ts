import { rename, rm, writeFile } from 'node:fs/promises';
import type { ListenPort } from './listen-spec.js';

/** What the ready file says: the process, and every port as actually bound (port 0 resolved). */
export interface ReadyInfo {
  readonly pid: number;
  readonly identity: string;
  readonly version: string;
  readonly listen: readonly ListenPort[];
  readonly dns?: { readonly port: number };
  readonly control?: string;
  /** A netns hub's members, each with its ports as bound. */
  readonly members?: readonly { readonly identity: string; readonly listen: readonly ListenPort[] }[];
}

/** Writes the ready file atomically (temp file + rename), so a watcher never reads half of it. */
export async function writeReadyFile(path: string, info: ReadyInfo): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(info)}\n`);
  await rename(temp, path);
}

/** Removes the ready file on shutdown, so a stale one never claims that listeners are up. */
export async function removeReadyFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

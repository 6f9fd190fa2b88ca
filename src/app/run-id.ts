import { randomBytes } from 'node:crypto';
import { InputError } from '../model/index.js';

/** A fresh run id: short, lowercase, valid in netns names, nft table names and DNS labels. */
export function newRunId(): string {
  return `r${randomBytes(3).toString('hex')}`;
}

/** Validates a user-given run id (same alphabet as generated ones). */
export function checkRunId(id: string): string {
  if (!/^[a-z][a-z0-9]{1,11}$/.test(id)) {
    throw InputError.commandLine('--run-id', `--run-id ${id}: use 2–12 lowercase letters and digits, starting with a letter`);
  }
  return id;
}

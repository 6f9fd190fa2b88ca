import { InputError } from '../model/index.js';

/** Parses "10s", "500ms", "2m" or a bare number of seconds into milliseconds; bad text is an input error. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) {
    throw InputError.commandLine(flag, `${flag} ${text}: expected a duration such as 10s, 500ms or 2m`);
  }
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(unit === 'ms' ? n : unit === 'm' ? n * 60_000 : n * 1000);
}

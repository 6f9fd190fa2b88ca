import { InputError } from '../model/index.js';
import { reporterNames } from './registry.js';

/** A `--reporter NAME[=FILE]` request; no file (or "-") means stdout. */
export interface ReporterSpec {
  readonly name: string;
  readonly file?: string;
}

/** Parses "junit=out/junit.xml" or "table"; throws InputError on an unknown name or an empty file. */
export function parseReporterSpec(text: string): ReporterSpec {
  const eq = text.indexOf('=');
  const name = (eq === -1 ? text : text.slice(0, eq)).trim().toLowerCase();
  const file = eq === -1 ? undefined : text.slice(eq + 1).trim();
  const known = reporterNames();
  if (name === '') fail(`--reporter needs a reporter name (one of ${known.join(', ')}), got "${text}"`);
  if (!known.includes(name)) fail(`unknown reporter "${name}" in --reporter ${text}; use one of ${known.join(', ')} (optionally NAME=FILE)`);
  if (file === '') fail(`--reporter ${text}: missing file after "="; use ${name}=PATH, or just ${name} for stdout`);
  return file === undefined || file === '-' ? { name } : { name, file };
}

/** Throws the InputError of a bad --reporter value (command-line input has no real line/column). */
function fail(message: string): never {
  throw InputError.commandLine('--reporter', message);
}

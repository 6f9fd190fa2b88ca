import { readFileSync } from 'node:fs';

/** netseg's version from package.json (src/app and dist/app sit at the same depth). */
export function netsegVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

import type { L7ParseOutcome } from './l7-parse-outcome.js';

/** Parses an Istio `to.operation.ports` / `notPorts` entry: a decimal port 0–65535 written as a string. */
export function parseIstioPort(value: string): L7ParseOutcome<number> {
  if (!/^\d{1,10}$/.test(value) || Number(value) > 65535) {
    return { ok: false, message: `bad port "${value}": Istio ports are decimal strings from 0 to 65535` };
  }
  return { ok: true, matcher: Number(value) };
}

import type { Protocol } from '../../../model/index.js';
import type { PortMatch } from './flow-match.js';

/** True when a destination protocol and port may match a rule's port side (named-port tuples: any, conservatively). */
export function portMatches(match: PortMatch, protocol: Protocol, port: number): boolean {
  switch (match.kind) {
    case 'any':
    case 'tuples':
      return true;
    case 'protocol':
      return match.protocol === protocol;
    case 'range':
      return match.protocol === protocol && port >= match.from && port <= match.to;
    case 'ipProtocol':
      return false;
  }
}

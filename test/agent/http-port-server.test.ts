import { expect } from 'chai';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Closable } from '../../src/agent/closable.js';
import { listenHttpPort } from '../../src/agent/http-port-server.js';
import { formatIdentityLine } from '../../src/agent/identity-line.js';
import { TCP_HELLO } from '../../src/agent/protocol.js';

const LINE = formatIdentityLine('shop/web');
const SILENT_MS = 300;

/** Connects, writes each part after its delay, and collects what arrives until the server ends or resets. */
function exchange(port: number, parts: readonly { afterMs: number; text: string }[]): Promise<{ text: string; elapsedMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const done = (): void => resolve({ text, elapsedMs: Date.now() - started });
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      void (async () => {
        for (const part of parts) {
          await sleep(part.afterMs);
          if (!socket.destroyed) socket.write(part.text);
        }
      })();
    });
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', done);
    socket.on('error', done);
  });
}

describe('listenHttpPort', () => {
  let served: Closable;
  let port: number;
  before(async () => {
    const listening = await listenHttpPort('127.0.0.1', 0, 'shop/web', Buffer.from(LINE), () => {}, SILENT_MS);
    served = listening.closable;
    port = listening.port;
  });
  after(() => served.close());

  describe('#sniff()', () => {
    it('should answer the connection probe hello with the identity line before the silence fallback', async () => {
      const { text, elapsedMs } = await exchange(port, [{ afterMs: 0, text: TCP_HELLO }]);
      expect(text).to.equal(LINE);
      expect(elapsedMs).to.be.below(SILENT_MS);
    });

    it('should answer a hello that arrives in pieces with the identity line', async () => {
      const { text } = await exchange(port, [
        { afterMs: 0, text: TCP_HELLO.slice(0, 3) },
        { afterMs: 50, text: TCP_HELLO.slice(3) },
      ]);
      expect(text).to.equal(LINE);
    });

    it('should serve an HTTP request sent late (after 400 ms of silence) as HTTP, not the identity line', async () => {
      const late = await listenHttpPort('127.0.0.1', 0, 'shop/web', Buffer.from(LINE), () => {});
      try {
        const { text } = await exchange(late.port, [{ afterMs: 400, text: 'GET /late HTTP/1.1\r\nHost: web\r\n\r\n' }]);
        expect(text).to.match(/^HTTP\/1\.1 200 OK\r\n/);
        expect(text).to.include('"path":"/late"');
      } finally {
        await late.closable.close();
      }
    });

    it('should hand bytes that start like the hello and then differ to the HTTP server at once (it refuses them), never the identity line', async () => {
      const { text, elapsedMs } = await exchange(port, [{ afterMs: 0, text: 'netseg /x HTTP/1.1\r\nHost: web\r\n\r\n' }]);
      expect(text).to.not.include(LINE);
      expect(elapsedMs).to.be.below(SILENT_MS);
    });

    it('should give a silent client the identity line after the silence fallback', async () => {
      const { text, elapsedMs } = await exchange(port, []);
      expect(text).to.equal(LINE);
      expect(elapsedMs).to.be.at.least(SILENT_MS - 20);
    });
  });
});

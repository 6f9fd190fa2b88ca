import { expect } from 'chai';
import { connect } from 'node:net';
import { startIdentityServer, type IdentityServer } from '../../src/agent/identity-server.js';

const noLog = (): void => {};

/** Connects, optionally writes `send`, and collects what arrives until the server ends or resets the connection. */
function exchange(port: number, send?: string): Promise<{ text: string; ended: 'end' | 'error' }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => send !== undefined && socket.write(send));
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve({ text, ended: 'end' }));
    socket.on('error', () => resolve({ text, ended: 'error' }));
  });
}

describe('startIdentityServer', () => {
  let server: IdentityServer;
  let port: number;

  before(async () => {
    server = await startIdentityServer('x/a', '127.0.0.1', [{ port: 0, protocol: 'TCP' }], noLog);
    port = server.bound[0]?.port ?? 0;
  });
  after(() => server.close());

  describe('#TCP', () => {
    it('should answer a silent client with the identity line and then close', async () => {
      expect(await exchange(port)).to.deep.equal({ text: 'netseg x/a\n', ended: 'end' });
    });

    it('should still deliver the identity line to a client that writes first', async () => {
      const { text } = await exchange(port, 'GET / HTTP/1.0\r\n\r\n');
      expect(text).to.equal('netseg x/a\n');
    });

    it('should keep answering after many clients reset their connections', async () => {
      const resets = Array.from({ length: 50 }, () => new Promise<void>((resolve) => {
        const s = connect({ host: '127.0.0.1', port }, () => {
          s.resetAndDestroy();
          resolve();
        });
        s.on('error', () => resolve());
      }));
      await Promise.all(resets);
      expect((await exchange(port)).text).to.equal('netseg x/a\n');
    });
  });
});

import type { Readable } from 'node:stream';

/**
 * Reads a stream up to its first newline or its end, at most `maxBytes`. Batches arrive on stdin of
 * a Kubernetes exec, and only the v5 exec protocol can signal end of stdin: before it, the caller
 * leaves stdin open, so the agent must stop at the line's end instead of waiting for EOF.
 */
export function readFirstLine(stream: Readable, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const done = (result: string | Error): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const newline = buffer.indexOf(0x0a);
      const part = newline >= 0 ? buffer.subarray(0, newline) : buffer;
      size += part.length;
      if (size > maxBytes) return done(new Error(`stdin: more than ${maxBytes} bytes before a newline`));
      parts.push(part);
      if (newline >= 0) done(Buffer.concat(parts).toString('utf8'));
    };
    const onEnd = (): void => done(Buffer.concat(parts).toString('utf8'));
    const onError = (error: Error): void => done(error);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

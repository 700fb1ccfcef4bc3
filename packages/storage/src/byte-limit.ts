import { Readable, Transform, addAbortSignal, pipeline } from 'node:stream';
import { MeridianError } from '@meridian/core';

/** An upload body as one byte stream that counts what passes and stops at the size limit. */
export interface MeteredBody {
  stream: Readable;
  /** Bytes that have passed so far; the blob's size once the stream has ended. */
  bytes(): number;
  /** The PAYLOAD_TOO_LARGE error, once the limit has been crossed. */
  overLimit(): MeridianError | undefined;
}

/**
 * Wraps a put body so both adapters enforce `maxBytes` and `signal` the same way: while streaming,
 * before anything is committed. Crossing the limit or aborting destroys the stream with an error,
 * which makes the adapter's write fail and discard what it had staged. Buffers and strings over the
 * limit are refused before any I/O.
 */
export function meterBody(body: Readable | Buffer | string, maxBytes?: number, signal?: AbortSignal): MeteredBody {
  checkSize(0, maxBytes);
  signal?.throwIfAborted();
  const source = typeof body === 'string' || Buffer.isBuffer(body) ? bufferSource(Buffer.from(body), maxBytes) : body;
  let bytes = 0;
  let tooLarge: MeridianError | undefined;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (maxBytes !== undefined && bytes > maxBytes) {
        tooLarge = payloadTooLarge(maxBytes);
        callback(tooLarge);
        return;
      }
      callback(null, chunk);
    },
  });
  // The callback is required by the API; the consumer of `meter` sees every failure as its error.
  pipeline(source, meter, () => {});
  if (signal !== undefined) addAbortSignal(signal, meter);
  return { stream: meter, bytes: () => bytes, overLimit: () => tooLarge };
}

/** Throws PAYLOAD_TOO_LARGE when a body of `size` bytes is over the limit (and refuses a malformed limit). */
export function checkSize(size: number, maxBytes: number | undefined): void {
  if (maxBytes === undefined) return;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new MeridianError('VALIDATION_ERROR', `maxBytes must be a non-negative integer, not ${maxBytes}.`, { field: 'maxBytes' });
  }
  if (size > maxBytes) throw payloadTooLarge(maxBytes);
}

function bufferSource(buffer: Buffer, maxBytes: number | undefined): Readable {
  checkSize(buffer.length, maxBytes);
  // An array, so the buffer is one chunk rather than iterated byte by byte.
  return Readable.from([buffer], { objectMode: false });
}

function payloadTooLarge(maxBytes: number): MeridianError {
  return new MeridianError('PAYLOAD_TOO_LARGE', `The upload is larger than the limit of ${maxBytes} bytes.`, { max_bytes: maxBytes });
}

/**
 * geotiff.js reads a COG through a "source". This one does ranged reads on the BlobStore and keeps the
 * first bytes of the file (where a COG keeps its header and IFDs, by the COG layout) so parsing the
 * header costs one read instead of dozens.
 */
import type { GeoTIFF } from 'geotiff';
import type { BlobRef, BlobStore } from '@meridian/storage';

/** GDAL writes a COG's IFDs in the first bytes ("ghost area" + IFDs); 64 KiB covers them in practice. */
const HEADER_BYTES = 64 * 1024;

/** geotiff.js's BaseSource (its package does not export the class, only the type through fromSource). */
type GeoTiffSource = Parameters<typeof GeoTIFF.fromSource>[0];
interface Slice {
  offset: number;
  length: number;
}

export class BlobSource implements GeoTiffSource {
  #header: Promise<Buffer> | null = null;

  constructor(
    private readonly store: BlobStore,
    private readonly ref: BlobRef,
    private readonly size: number,
  ) {}

  get fileSize(): number {
    return this.size;
  }

  async fetch(slices: Slice[]): Promise<ArrayBuffer[]> {
    return Promise.all(slices.map((slice) => this.#read(slice)));
  }

  async fetchSlice(slice: Slice): Promise<Slice & { data: ArrayBuffer }> {
    return { ...slice, data: await this.#read(slice) };
  }

  async close(): Promise<void> {
    this.#header = null;
  }

  async #read({ offset, length }: Slice): Promise<ArrayBuffer> {
    const end = Math.min(offset + length, this.size);
    if (end <= HEADER_BYTES) {
      this.#header ??= this.store.readRange(this.ref, 0, HEADER_BYTES);
      const header = await this.#header;
      return toArrayBuffer(header.subarray(offset, end));
    }
    return toArrayBuffer(await this.store.readRange(this.ref, offset, end - offset));
  }
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Cloud-Optimized GeoTIFFs read from the BlobStore with geotiff.js. `CogReader` keeps two bounded LRU
 * caches shared by all COGs: opened headers (parsed IFDs, by blob and ETag) and decoded blocks (by
 * bytes), so a repeated or neighbouring tile reads and decodes nothing again. Reads sample straight
 * from the cached blocks (geotiff.js's readRasters reads every sample through a DataView and decodes
 * every block again on each call).
 */
import { GeoTIFF, getDecoder, type GeoTIFFImage } from 'geotiff';
import { LruCache, MeridianError } from '@meridian/core';
import type { BlobRef, BlobStore } from '@meridian/storage';
import { BlobSource } from './blob-source.ts';
import { epsgCrs } from './crs.ts';
import type { Bounds } from './tms.ts';

export type DataType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';
export type NumericArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** One resolution of the COG: the full image (factor 1) or an overview. */
export interface CogLevel {
  image: GeoTIFFImage;
  width: number;
  height: number;
  /** Source pixels per pixel of this level, along x and y. */
  factorX: number;
  factorY: number;
}

export interface CogInfo {
  width: number;
  height: number;
  /** Data bands, without an alpha band. */
  bandCount: number;
  dtype: DataType;
  nodata: number | null;
  /** 0-based sample index of the alpha band, when the COG has one. */
  alphaSample: number | null;
  crs: string;
  epsg: number;
  /** GDAL order: originX, pixelWidth, 0, originY, 0, -pixelHeight. */
  geotransform: [number, number, number, number, number, number];
  bounds: Bounds;
  overviewFactors: number[];
  blockSize: [number, number];
  /** JPEG-compressed RGB stored as YCbCr (GDAL's default for JPEG COGs): converted to RGB on read. */
  ycbcr: boolean;
}

/** Half-open pixel window of one level: columns x0..x1-1, rows y0..y1-1. */
export interface PixelWindow {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const SUBFILE_MASK = 4;
const PHOTOMETRIC_YCBCR = 6;
const EXTRA_SAMPLE_ALPHA = new Set([1, 2]);

/** JFIF's YCbCr → RGB (the conversion libjpeg applies for GDAL), in place on pixel-interleaved samples. */
function ycbcrToRgbInPlace(values: Uint8Array, samplesPerPixel: number): void {
  for (let i = 0; i + 2 < values.length; i += samplesPerPixel) {
    const luma = values[i]!, blue = values[i + 1]! - 128, red = values[i + 2]! - 128;
    values[i] = Math.max(0, Math.min(255, Math.round(luma + 1.402 * red)));
    values[i + 1] = Math.max(0, Math.min(255, Math.round(luma - 0.344136 * blue - 0.714136 * red)));
    values[i + 2] = Math.max(0, Math.min(255, Math.round(luma + 1.772 * blue)));
  }
}

function dataType(image: GeoTIFFImage): DataType {
  const format = image.getSampleFormat(0);
  const bits = image.getBitsPerSample(0);
  const kind = format === 3 ? 'float' : format === 2 ? 'int' : 'uint';
  const name = `${kind}${bits}`;
  if (!['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64'].includes(name)) {
    throw new MeridianError('RASTER_FORMAT_UNSUPPORTED', `samples of ${bits}-bit ${kind} are not supported`);
  }
  return name as DataType;
}

function alphaSample(image: GeoTIFFImage): number | null {
  const extra = image.fileDirectory.getValue('ExtraSamples') as number[] | number | undefined;
  const kinds = extra === undefined ? [] : Array.isArray(extra) ? extra : [extra];
  const index = kinds.findIndex((kind) => EXTRA_SAMPLE_ALPHA.has(kind));
  return index < 0 ? null : image.getSamplesPerPixel() - kinds.length + index;
}

function epsgOf(image: GeoTIFFImage): number {
  const keys = image.getGeoKeys() ?? {};
  const code = (keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey) as number | undefined;
  if (!code || code === 32767) {
    throw new MeridianError('RASTER_CRS_UNSUPPORTED', 'the COG has no EPSG code in its GeoKeys (user-defined CRS)');
  }
  return code;
}

type Decoder = Parameters<GeoTIFFImage['getTileOrStrip']>[3];

/** The decoder for an image, built like geotiff.js's readRasters builds it (a superset of every codec's parameters). */
async function decoderFor(image: GeoTIFFImage): Promise<Decoder> {
  const directory = image.fileDirectory;
  const compression = Number(directory.getValue('Compression') ?? 1);
  const optional = async (tag: string) => (directory.hasTag(tag as never) ? directory.loadValue(tag as never) : undefined);
  return getDecoder(compression, {
    tileWidth: image.getTileWidth(),
    tileHeight: image.getTileHeight(),
    planarConfiguration: image.planarConfiguration,
    bitsPerSample: await directory.loadValue('BitsPerSample'),
    predictor: Number((await optional('Predictor')) ?? 1),
    JPEGTables: await optional('JPEGTables'),
    LercParameters: await optional('LercParameters'),
  } as Parameters<typeof getDecoder>[1]) as Promise<Decoder>;
}

/** The typed array holding each data type's values. */
export const ARRAY_TYPES: Record<DataType, new (length: number) => NumericArray> = {
  uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array, uint32: Uint32Array, int32: Int32Array, float32: Float32Array, float64: Float64Array,
};

export class Cog {
  readonly #decoders = new Map<number, Promise<Decoder>>();

  constructor(
    readonly id: string,
    readonly info: CogInfo,
    readonly levels: CogLevel[],
    private readonly blocks: LruCache<string, NumericArray>,
  ) {}

  /** The level to read for a request whose pixels span `factor` full-resolution pixels (GDAL's choice: the coarsest not coarser than asked). */
  levelFor(factor: number): number {
    let chosen = 0;
    for (const [index, level] of this.levels.entries()) {
      if (Math.min(level.factorX, level.factorY) <= factor * 1.0001) chosen = index;
    }
    return chosen;
  }

  /**
   * One decoded block (tile or strip) as a typed array, from the shared LRU or read and decoded once.
   * Pixel-interleaved YCbCr (JPEG) blocks are cached already converted to RGB.
   */
  #block(levelIndex: number, column: number, row: number, sample: number, signal?: AbortSignal): Promise<NumericArray> {
    const image = this.levels[levelIndex]!.image;
    return this.blocks.getOrLoad(`${this.id}#${levelIndex}/${column}/${row}/${sample}`, async () => {
      let decoder = this.#decoders.get(levelIndex);
      if (!decoder) this.#decoders.set(levelIndex, (decoder = decoderFor(image)));
      const { data } = await image.getTileOrStrip(column, row, sample, await decoder, signal);
      const values = image.getArrayForSample(sample, data as ArrayBuffer) as NumericArray;
      if (this.info.ycbcr) ycbcrToRgbInPlace(values as Uint8Array, image.getSamplesPerPixel());
      return values;
    });
  }

  /**
   * The decoded blocks covering a window, for sampling straight from the cache: nothing is copied.
   * Pixel (x, y) of the level, sample k, is `blocks[k][blockIndex][pixelInBlock * stride + offsets[k]]`
   * with blockIndex = (y / blockHeight − firstRow) · columns + (x / blockWidth − firstColumn).
   */
  async blocksFor(levelIndex: number, window: PixelWindow, samples: number[], signal?: AbortSignal): Promise<BlockSet> {
    const level = this.levels[levelIndex];
    if (!level) throw new MeridianError('INTERNAL_ERROR', `level ${levelIndex} does not exist`);
    const { image } = level;
    const blockWidth = image.getTileWidth();
    const blockHeight = image.getTileHeight();
    const interleaved = image.planarConfiguration === 1;
    const firstColumn = Math.floor(window.x0 / blockWidth), lastColumn = Math.floor((window.x1 - 1) / blockWidth);
    const firstRow = Math.floor(window.y0 / blockHeight), lastRow = Math.floor((window.y1 - 1) / blockHeight);
    const planes = interleaved ? [0] : samples;
    const loads = planes.map((plane) => {
      const row: Array<Promise<NumericArray>> = [];
      for (let blockRow = firstRow; blockRow <= lastRow; blockRow++) {
        for (let column = firstColumn; column <= lastColumn; column++) row.push(this.#block(levelIndex, column, blockRow, plane, signal));
      }
      return Promise.all(row);
    });
    const loaded = await Promise.all(loads);
    return {
      blockWidth, blockHeight, firstColumn, firstRow,
      columns: lastColumn - firstColumn + 1,
      stride: interleaved ? image.getSamplesPerPixel() : 1,
      blocks: samples.map((_, k) => loaded[interleaved ? 0 : k]!),
      offsets: samples.map((sample) => (interleaved ? sample : 0)),
    };
  }

  /** Samples of a window inside the level, copied into one typed array (of the COG's data type) per sample index. */
  async readWindow(levelIndex: number, window: PixelWindow, samples: number[], signal?: AbortSignal): Promise<NumericArray[]> {
    const set = await this.blocksFor(levelIndex, window, samples, signal);
    const { blockWidth, blockHeight, firstColumn, firstRow, columns, stride } = set;
    const width = window.x1 - window.x0;
    return samples.map((_, k) => {
      const out = new ARRAY_TYPES[this.info.dtype](width * (window.y1 - window.y0));
      const blocks = set.blocks[k]!;
      for (let y = window.y0; y < window.y1; y++) {
        const blockRow = Math.floor(y / blockHeight);
        const rowInBlock = (y - blockRow * blockHeight) * blockWidth;
        let to = (y - window.y0) * width;
        for (let x = window.x0; x < window.x1;) {
          const column = Math.floor(x / blockWidth);
          const block = blocks[(blockRow - firstRow) * columns + column - firstColumn]!;
          const end = Math.min(window.x1, (column + 1) * blockWidth);
          for (let from = (rowInBlock + x - column * blockWidth) * stride + set.offsets[k]!; x < end; x++, from += stride) out[to++] = block[from]!;
        }
      }
      return out;
    });
  }
}

/** The cached blocks covering a window (see Cog.blocksFor). */
export interface BlockSet {
  blockWidth: number;
  blockHeight: number;
  /** Block column and row of blocks[k][0]. */
  firstColumn: number;
  firstRow: number;
  /** Blocks per row of the set. */
  columns: number;
  /** Values per pixel in a block (samples per pixel when pixel-interleaved, else 1). */
  stride: number;
  /** Per requested sample, its blocks in row-major order. */
  blocks: NumericArray[][];
  /** Per requested sample, its offset inside a pixel. */
  offsets: number[];
}

export interface CogReaderOptions {
  /** Opened COG headers kept (each holds its IFDs: a few KiB to a few MiB for huge files). */
  headerEntries: number;
  /** Bytes of decoded blocks kept across all COGs. */
  blockBytes: number;
}

export const DEFAULT_READER_OPTIONS: CogReaderOptions = { headerEntries: 256, blockBytes: 256 * 1024 * 1024 };

export class CogReader {
  readonly headers: LruCache<string, Cog>;
  readonly blocks: LruCache<string, NumericArray>;

  constructor(
    private readonly store: BlobStore,
    options: CogReaderOptions = DEFAULT_READER_OPTIONS,
  ) {
    this.headers = new LruCache(options.headerEntries);
    this.blocks = new LruCache<string, NumericArray>(options.blockBytes, (block) => block.byteLength);
  }

  /** Opens (or reuses) the COG; a rewritten blob has a new ETag and so a new cache entry. */
  async open(ref: BlobRef): Promise<Cog> {
    const version = await this.store.version(ref);
    if (!version) throw new MeridianError('BLOB_NOT_FOUND', `${ref.container}/${ref.key}`);
    const id = `${ref.container}/${ref.key}@${version.etag}`;
    return this.headers.getOrLoad(id, async () => {
      const tiff = await GeoTIFF.fromSource(new BlobSource(this.store, ref, version.size));
      const levels = await levelsOf(tiff);
      return new Cog(id, describe(levels), levels, this.blocks);
    });
  }
}

async function levelsOf(tiff: GeoTIFF): Promise<CogLevel[]> {
  const count = await tiff.getImageCount();
  const images: GeoTIFFImage[] = [];
  for (let index = 0; index < count; index++) {
    const image = await tiff.getImage(index);
    const subfile = Number(image.fileDirectory.getValue('NewSubfileType') ?? 0);
    if ((subfile & SUBFILE_MASK) === 0) images.push(image);
  }
  const full = images[0];
  if (!full) throw new MeridianError('RASTER_FORMAT_UNSUPPORTED', 'the file holds no image');
  return images.map((image) => ({
    image,
    width: image.getWidth(),
    height: image.getHeight(),
    factorX: full.getWidth() / image.getWidth(),
    factorY: full.getHeight() / image.getHeight(),
  }));
}

function describe(levels: CogLevel[]): CogInfo {
  const full = levels[0]!.image;
  const [originX, originY] = full.getOrigin() as [number, number];
  const [resX, resY] = full.getResolution() as [number, number];
  const width = full.getWidth();
  const height = full.getHeight();
  const epsg = epsgOf(full);
  const alpha = alphaSample(full);
  return {
    width,
    height,
    bandCount: full.getSamplesPerPixel() - (alpha === null ? 0 : 1),
    dtype: dataType(full),
    nodata: full.getGDALNoData(),
    alphaSample: alpha,
    crs: epsgCrs(epsg),
    epsg,
    geotransform: [originX, resX, 0, originY, 0, resY],
    bounds: [originX, originY + resY * height, originX + resX * width, originY],
    overviewFactors: levels.slice(1).map((level) => Math.round(level.factorX)),
    blockSize: [full.getTileWidth(), full.getTileHeight()],
    ycbcr: Number(full.fileDirectory.getValue('PhotometricInterpretation')) === PHOTOMETRIC_YCBCR && full.getSamplesPerPixel() >= 3,
  };
}

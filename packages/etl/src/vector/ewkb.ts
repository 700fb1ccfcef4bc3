/**
 * A look at the header of a hex (E)WKB geometry, as GDAL writes it into COPY text: its type and whether
 * it is empty — enough to count types and drop empty geometries without parsing coordinates.
 */

/** WKB type codes 1…7 and their OGC/GeoJSON names. */
export const WKB_TYPE_NAMES: Record<number, string> = {
  1: 'Point',
  2: 'LineString',
  3: 'Polygon',
  4: 'MultiPoint',
  5: 'MultiLineString',
  6: 'MultiPolygon',
  7: 'GeometryCollection',
};

const EWKB_SRID_FLAG = 0x20000000;
const EWKB_FLAGS = 0xe0000000;

export interface WkbHeader {
  /** 1…7 for the simple features types; other codes (curves, surfaces) as read. */
  type: number;
  empty: boolean;
}

/** Reads a uint32 from hex without allocating: the byte pairs reversed for little-endian. */
function uint32(hex: string, offset: number, littleEndian: boolean): number {
  const word = littleEndian
    ? hex.slice(offset + 6, offset + 8) + hex.slice(offset + 4, offset + 6) + hex.slice(offset + 2, offset + 4) + hex.slice(offset, offset + 2)
    : hex.slice(offset, offset + 8);
  return parseInt(word, 16);
}

const scratch = Buffer.alloc(8);

function float64(hex: string, offset: number, littleEndian: boolean): number {
  scratch.write(hex.slice(offset, offset + 16), 0, 8, 'hex');
  return littleEndian ? scratch.readDoubleLE(0) : scratch.readDoubleBE(0);
}

export function readWkbHeader(hex: string): WkbHeader {
  const littleEndian = hex.startsWith('01');
  const raw = uint32(hex, 2, littleEndian);
  // EWKB carries dimensions and SRID as flag bits, ISO WKB as thousands (1001 = Point Z).
  const type = (raw & ~EWKB_FLAGS) % 1000;
  const body = 10 + ((raw & EWKB_SRID_FLAG) !== 0 ? 8 : 0);
  // An empty point has NaN coordinates; every other type starts with a count of points, rings or parts.
  const empty = type === 1 ? Number.isNaN(float64(hex, body, littleEndian)) : uint32(hex, body, littleEndian) === 0;
  return { type, empty };
}

/**
 * The acquisition time a GeoTIFF carries, if any: the IMAGERY domain's ACQUISITIONDATETIME (written by
 * most satellite processors) or the TIFF DateTime tag ("YYYY:MM:DD HH:MM:SS", no time zone: read as UTC).
 */
const TIFF_DATETIME = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

function iso(text: string): string | null {
  const trimmed = text.trim();
  const tiff = TIFF_DATETIME.exec(trimmed);
  const candidate = tiff ? `${tiff[1]}-${tiff[2]}-${tiff[3]}T${tiff[4]}:${tiff[5]}:${tiff[6]}Z` : trimmed;
  const time = Date.parse(candidate);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

export function fileDatetime(metadata: Record<string, Record<string, string>>): string | null {
  const candidates = [metadata.IMAGERY?.ACQUISITIONDATETIME, metadata['']?.ACQUISITIONDATETIME, metadata['']?.TIFFTAG_DATETIME];
  for (const value of candidates) {
    const parsed = value === undefined ? null : iso(value);
    if (parsed) return parsed;
  }
  return null;
}

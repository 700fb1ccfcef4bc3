/**
 * Orders keys by Unicode code point, which is the order of their UTF-8 bytes and so the order
 * Azure lists blobs in. Plain `<` compares UTF-16 code units, which puts characters from U+E000 to
 * U+FFFF after astral ones; shifting surrogates above that block fixes it without allocating.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

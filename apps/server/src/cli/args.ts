/** A whole number in [min, max] from a command-line value, or null when it is not one. */
export function wholeNumber(raw: string | undefined, min: number, max: number): number | null {
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

/**
 * Task-type patterns for `meridian worker --task-types`: comma-separated globs where `*` matches any run
 * of characters and `?` one character (`raster_*,vector_load`).
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  const parts = pattern.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new Error(`task-type pattern "${pattern}" is empty`);
  const regexes = parts.map((part) => {
    const body = part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${body}$`);
  });
  return (name) => regexes.some((r) => r.test(name));
}

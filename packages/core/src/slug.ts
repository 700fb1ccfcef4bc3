/**
 * The one slug rule for PostgreSQL identifiers (platform contract, "Identifiers"): lower-case; spaces
 * and "-" become "_"; anything outside [a-z0-9_] is dropped; repeated "_" collapse; "_" trimmed at both
 * ends; a leading digit gets a "t_" prefix; at most 63 characters (PostgreSQL's identifier limit).
 */
export function postgresSlug(text: string): string {
  let slug = text
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/[^a-z0-9_]/g, '')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (/^[0-9]/.test(slug)) slug = `t_${slug}`;
  return slug.slice(0, 63);
}

/** The same rule with "-" as the separator, for STAC ids and URL segments ([a-z0-9-] only). */
export function kebabSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

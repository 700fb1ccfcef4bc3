import type { Visibility } from './types.ts';

/**
 * The SQL condition that keeps only the rows `visibility` may see, for a table alias with `served` and
 * `access_level` columns. Constants only: nothing from a request reaches this text.
 */
export function visibleSql(alias: string, visibility: Visibility): string {
  switch (visibility) {
    case 'public':
      return `(${alias}.served AND ${alias}.access_level = 'public')`;
    case 'authenticated':
      return `${alias}.served`;
    case 'reviewer':
      return 'true';
  }
}

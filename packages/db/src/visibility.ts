/**
 * Who may see a published dataset, the same rule on every read surface: reviewers (and admins) see
 * everything, data awaiting approval included; signed-in readers what is served; anonymous callers what is
 * served and public.
 */
export type Visibility = 'public' | 'authenticated' | 'reviewer';

/**
 * The SQL condition keeping only the rows `visibility` may see, for a table alias with `served` and
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

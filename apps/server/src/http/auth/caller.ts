/**
 * Who is calling. Each guard names the one role it needs; `hasRole` says whether the caller holds it or
 * a role that includes it (every role may read; admin includes everything).
 */
export const ROLES = ['reader', 'submitter', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  /** The token's `sub`, or null for an anonymous caller. */
  subject: string | null;
  roles: Role[];
  /** The calling application: the token's `appid`/`azp` claim, else the User-Agent header, else null. */
  clientId: string | null;
  anonymous: boolean;
}

/** For each required role, the roles that satisfy it. */
const IMPLIED: Record<Role, readonly Role[]> = {
  reader: ['reader', 'submitter', 'reviewer', 'admin'],
  submitter: ['submitter', 'admin'],
  reviewer: ['reviewer', 'admin'],
  admin: ['admin'],
};

export function hasRole(caller: Caller, role: Role): boolean {
  return caller.roles.some((held) => IMPLIED[role].includes(held));
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function anonymousCaller(userAgent: string | null): Caller {
  return { subject: null, roles: [], clientId: userAgent, anonymous: true };
}

/** With MERIDIAN_AUTH=off every caller is an administrator (the local default; logged loudly at start). */
export function unauthenticatedAdmin(userAgent: string | null): Caller {
  return { subject: 'anonymous-admin', roles: ['admin'], clientId: userAgent, anonymous: false };
}

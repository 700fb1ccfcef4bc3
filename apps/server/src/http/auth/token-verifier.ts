import { errors, jwtVerify, type JWTPayload } from 'jose';
import { MeridianError } from '@meridian/core';
import type { OidcConfig } from '@meridian/config';
import { isRole, type Caller, type Role } from './caller.ts';
import { JwksSource } from './jwks-source.ts';

const ALGORITHMS = ['RS256', 'ES256'];

/** Verifies bearer tokens against the configured issuer, audience and JWKS and turns them into callers. */
export class TokenVerifier {
  private readonly jwks: JwksSource;

  constructor(
    private readonly oidc: OidcConfig,
    options: { jwksCooldownMs?: number } = {},
  ) {
    this.jwks = new JwksSource(oidc.jwksUrl, options.jwksCooldownMs);
  }

  async verify(token: string, userAgent: string | null): Promise<Caller> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks.resolve, {
        issuer: this.oidc.issuer,
        audience: this.oidc.audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.oidc.clockSkewSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new MeridianError('UNAUTHORIZED', `the bearer token was rejected: ${reason(error)}`);
      throw error;
    }
    return {
      subject: typeof payload.sub === 'string' ? payload.sub : null,
      roles: rolesOf(payload[this.oidc.rolesClaim]),
      clientId: stringClaim(payload, 'appid') ?? stringClaim(payload, 'azp') ?? userAgent,
      anonymous: false,
    };
  }
}

/** A short reason a caller can act on, without echoing token contents. */
function reason(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim "${error.claim}" ${error.reason === 'check_failed' ? 'is not valid' : error.reason}`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'it is signed with a key the identity provider does not publish';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the signing algorithm is not RS256 or ES256';
  return 'it is malformed';
}

function stringClaim(payload: JWTPayload, name: string): string | null {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The roles claim is an array of names (a single string is accepted too); unknown names are ignored. */
function rolesOf(claim: unknown): Role[] {
  const names = Array.isArray(claim) ? claim : typeof claim === 'string' ? [claim] : [];
  return [...new Set(names.filter(isRole))];
}

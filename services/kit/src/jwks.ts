import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import { algorithmFor } from './auth.js';

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: string;
  use: 'sig';
}

/** The members RFC 7638 hashes for each key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  OKP: ['crv', 'kty', 'x'],
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
};

/** RFC 7638 JWK thumbprint (SHA-256, base64url): a stable key id derived from the key itself. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members = THUMBPRINT_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new Error(`no thumbprint rule for key type ${jwk.kty}`);
  const canonical = JSON.stringify(Object.fromEntries(members.map((name) => [name, jwk[name]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

/** The JWK set a token issuer publishes at /.well-known/jwks.json: its public key, with a thumbprint `kid` and its `alg`. */
export function publicJwkSet(publicKeyPem: string): { keys: PublicJwk[] } {
  const key = createPublicKey(publicKeyPem);
  const jwk = key.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: jwkThumbprint(jwk), alg: algorithmFor(key), use: 'sig' }] };
}

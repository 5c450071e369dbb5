import { createPublicKey } from 'node:crypto';
import { generateDevKeyPair } from '../src/auth.js';
import { jwkThumbprint, publicJwkSet } from '../src/jwks.js';

describe('JWK set', () => {
  it('computes the RFC 8037 (A.3) thumbprint of its Ed25519 example key', () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    expect(jwkThumbprint(jwk)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('ignores members outside the thumbprint rule and refuses unknown key types', () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    expect(jwkThumbprint({ ...jwk, kid: 'other', use: 'sig' })).toBe(jwkThumbprint(jwk));
    expect(() => jwkThumbprint({ kty: 'oct' })).toThrow(/oct/);
  });

  it('publishes the public key only, with its algorithm and a stable kid', () => {
    const { publicKeyPem } = generateDevKeyPair();
    const { keys } = publicJwkSet(publicKeyPem);
    expect(keys).toHaveLength(1);
    const [jwk] = keys;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    expect(jwk!.kid).toBe(publicJwkSet(publicKeyPem).keys[0]!.kid);
    expect(
      createPublicKey({ key: jwk!, format: 'jwk' }).export({ format: 'pem', type: 'spki' }),
    ).toBe(publicKeyPem);
  });
});

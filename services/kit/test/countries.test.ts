import { ISO_COUNTRY_CODES, countryCode, isIsoCountryCode } from '../src/countries.js';

describe('ISO 3166-1 alpha-2 codes', () => {
  it('holds the 249 assigned codes, each a region the runtime knows by name', () => {
    expect(ISO_COUNTRY_CODES.size).toBe(249);
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const code of ISO_COUNTRY_CODES) expect(names.of(code)).not.toBe(code);
    expect(isIsoCountryCode('EU')).toBe(false);
    expect(isIsoCountryCode('fr')).toBe(false);
  });

  it('countryCode normalizes a client value and names what is wrong', () => {
    expect(countryCode.parse(' fr ')).toBe('FR');
    const message = (value: unknown) => countryCode.safeParse(value).error?.issues[0]?.message;
    expect(message('France')).toMatch(/ISO 3166-1 alpha-2/);
    expect(message('XX')).toMatch(/ISO 3166-1 alpha-2/);
    expect(message(undefined)).toBe('is required');
    expect(message(33)).toBe('must be a string');
  });
});

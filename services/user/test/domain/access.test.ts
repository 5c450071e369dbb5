import { canReadProfile, canUpdateProfile } from '../../src/domain/access.js';

describe('profile access', () => {
  const self = { id: 'u1', roles: ['customer'] };
  const admin = { id: 'a1', roles: ['customer', 'admin'] };

  it('lets users read and change their own profile only', () => {
    expect(canReadProfile(self, 'u1')).toBe(true);
    expect(canUpdateProfile(self, 'u1')).toBe(true);
    expect(canReadProfile(self, 'u2')).toBe(false);
    expect(canUpdateProfile(self, 'u2')).toBe(false);
  });

  it('lets admins read any profile but not change it', () => {
    expect(canReadProfile(admin, 'u1')).toBe(true);
    expect(canUpdateProfile(admin, 'u1')).toBe(false);
  });
});

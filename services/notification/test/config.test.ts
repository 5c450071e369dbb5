import { ConfigError } from '@tourkit/kit';
import { loadNotificationConfig } from '../src/config.js';

describe('config', () => {
  const base = { INTERNAL_TOKEN: 'a-secret-of-16-chars' };
  it('has working defaults', () => {
    const config = loadNotificationConfig(base);
    expect(config).toMatchObject({
      PORT: 8086,
      REMINDER_CRON: '0 * * * *',
      NOTIFICATION_WORKER: true,
    });
  });
  it('refuses a lease shorter than two SMTP timeouts, naming the variable', () => {
    expect(() =>
      loadNotificationConfig({ ...base, SEND_LEASE_MS: '1000', SMTP_TIMEOUT_MS: '1000' }),
    ).toThrow(/SEND_LEASE_MS/);
    expect(() => loadNotificationConfig({ ...base, SUPPORT_EMAIL: 'nope' })).toThrow(ConfigError);
  });
});

import { deliverJobOptions, redisConnectionOptions } from '../../src/background/queue.js';

describe('queue settings', () => {
  it('reads Redis URLs', () => {
    expect(redisConnectionOptions('rediss://me:p%40ss@redis.test:6380/2')).toEqual({
      host: 'redis.test',
      port: 6380,
      username: 'me',
      password: 'p@ss',
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
    });
  });

  it('keys a delivery job by the notification id, retried with exponential backoff', () => {
    expect(deliverJobOptions('n-1', { attempts: 5, backoffMs: 100 }, 250)).toMatchObject({
      jobId: 'n-1',
      attempts: 5,
      backoff: { type: 'exponential', delay: 100 },
      delay: 250,
    });
  });
});

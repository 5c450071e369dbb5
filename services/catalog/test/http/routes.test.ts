import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { catalogForFile } from '../support/catalog.js';

const t = catalogForFile('catalog_api');

describe('own OpenAPI document', () => {
  it('is served at /openapi.yaml for the gateway to aggregate', async () => {
    const response = await request(t.catalog.url).get('/openapi.yaml');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/yaml/);
    expect(response.text).toMatch(/^openapi: 3\.1\.0\ninfo:\n {2}title: Tourkit catalog/m);
  });
});

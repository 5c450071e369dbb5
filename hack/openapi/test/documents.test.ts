import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { API_SERVICES } from '@tourkit/cdk8s/service-list';

// The committed documents against the one list (services/services.json): a service that owns a
// database may answer any operation 503 while it is unavailable (the kit's error handler), so its
// document must say so (serviceDocument's `database`, which adds DatabaseUnavailable).

const documentOf = (service: string) =>
  parse(
    readFileSync(
      fileURLToPath(new URL(`../../../services/${service}/openapi.yaml`, import.meta.url)),
      'utf8',
    ),
  ) as { components?: { responses?: Record<string, unknown> } };

describe("the services' documents", () => {
  test.each(API_SERVICES.map((s) => [s.name, s.database] as const))(
    '%s (database: %s) declares DatabaseUnavailable exactly when it owns a database',
    (service, database) => {
      const responses = documentOf(service).components?.responses ?? {};
      expect('DatabaseUnavailable' in responses).toBe(database);
    },
  );
});

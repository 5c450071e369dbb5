import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scalingScheduleCrd } from '../src/crd.js';
import { CRD_FILES, crdYaml } from '../src/crd-yaml.js';

// Raw JSON keys (x-kubernetes-*), as kubectl and cdk8s send them; the typed client's names differ.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const schemaOf = () => scalingScheduleCrd().spec.versions[0]!.schema!.openAPIV3Schema! as any;

describe('ScalingSchedule CRD', () => {
  it.each(Object.entries(CRD_FILES))(
    'is the file config/crd/%s (run `npm run -w @tourkit/operator gen-crd`)',
    (name, crd) => {
      const file = readFileSync(
        fileURLToPath(new URL(`../config/crd/${name}`, import.meta.url)),
        'utf8',
      );
      expect(file).toBe(crdYaml(crd()));
    },
  );

  it('names scalingschedules.scaling.tourkit.dev/v1alpha1 with a status subresource', () => {
    const crd = scalingScheduleCrd();
    expect(crd.metadata?.name).toBe('scalingschedules.scaling.tourkit.dev');
    expect(crd.spec.versions.map((v) => [v.name, v.storage, v.subresources?.status])).toEqual([
      ['v1alpha1', true, {}],
    ]);
    expect(crd.spec.versions[0]!.additionalPrinterColumns!.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Target', 'Window', 'Min', 'Max', 'Next']),
    );
  });

  it('is structural: no additionalProperties: false anywhere', () => {
    expect(JSON.stringify(schemaOf())).not.toContain('"additionalProperties":false');
  });

  it('carries the CEL rules and the field constraints of the zod schema', () => {
    const spec = schemaOf().properties!.spec!;
    const windows = spec.properties!.windows!;
    expect(windows.maxItems).toBe(16);
    expect(windows['x-kubernetes-validations']?.[0]?.rule).toContain('a.priority != b.priority');
    expect(windows.items!.properties!.start!.pattern).toBe('^([01][0-9]|2[0-3]):[0-5][0-9]$');
    expect(windows.items!.properties!.days!.items!.enum).toEqual([
      'Mon',
      'Tue',
      'Wed',
      'Thu',
      'Fri',
      'Sat',
      'Sun',
    ]);
    expect(spec.properties!.default!['x-kubernetes-validations']).toEqual([
      expect.objectContaining({ rule: 'self.minReplicas <= self.maxReplicas' }),
    ]);
    expect(spec.properties!.default!.properties!.minReplicas!.minimum).toBe(1);
    expect(spec.required).toEqual(expect.arrayContaining(['targetRef', 'timeZone', 'default']));
  });
});

// kubectl-scalingschedule against the real control plane, with a controller on the real clock.
import {
  createTestNamespace,
  getTestCluster,
  waitFor,
  type TestCluster,
  type TestNamespace,
} from '@tourkit/testenv';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScalingScheduleController } from '../../src/controller/controller.js';
import {
  clusterStartMs,
  createBookingSchedule,
  createHpa,
  installCrd,
  readSchedule,
  startController,
  waitForBounds,
} from './support.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const plugin = path.join(repoRoot, 'operator/src/cli/kubectl-scalingschedule.ts');
const testMs = 90_000;

let cluster: TestCluster;
let namespace: TestNamespace;
let controller: ScalingScheduleController | undefined;

beforeAll(async () => {
  cluster = await getTestCluster();
  await installCrd(cluster);
  namespace = await createTestNamespace(cluster, 'opplugin');
}, clusterStartMs);

afterAll(async () => {
  await controller?.stop();
  await namespace?.cleanup();
}, testMs);

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', plugin, ...args],
      { cwd: repoRoot, env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test(
  'boost, pause, resume, explain, preview on a live schedule; bad input is refused by name',
  async () => {
    const ns = namespace.name;
    await createHpa(cluster, ns, 'plugged', 1, 3);
    controller = startController(cluster, ns, {}); // the real clock: boosts are from now
    await createBookingSchedule(cluster, ns, 'plugged');
    const first = await waitFor('the first reconcile', async () => {
      const s = await readSchedule(cluster, ns, 'plugged');
      return s.status?.appliedBounds;
    });

    const boosted = await run(
      'boost',
      'plugged',
      '--min',
      '12',
      '--max',
      '14',
      '--for',
      '1h',
      '-n',
      ns,
    );
    expect(boosted).toMatchObject({ code: 0 });
    expect(boosted.stdout).toMatch(
      /boosted: min 12, max 14 from .* until .* \(override boost-\d{14}\)/,
    );
    await waitForBounds(cluster, ns, 'plugged', [12, 14]);
    await waitFor('the status of the boost', async () =>
      (await readSchedule(cluster, ns, 'plugged')).status?.appliedBounds?.minReplicas === 12
        ? true
        : undefined,
    );
    const explained = await run('explain', 'plugged', '-n', ns);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/in force: override "boost-\d{14}" from .*: min 12, max 14/);
    expect(explained.stdout).toMatch(/controller: applied min 12, max 14; originals min 1, max 3/);

    const again = await run('boost', 'plugged', '--min', '5', '--for', '30m', '-n', ns);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/boost: overlaps override "boost-\d{14}"/);

    expect(await run('pause', 'plugged', '-n', ns)).toMatchObject({ code: 0 });
    await waitForBounds(cluster, ns, 'plugged', [1, 3]);
    expect((await run('pause', 'plugged', '-n', ns)).stdout).toContain('already paused');
    expect(await run('resume', 'plugged', '-n', ns)).toMatchObject({ code: 0 });
    await waitForBounds(cluster, ns, 'plugged', [12, 14]);

    const dir = mkdtempSync(path.join(tmpdir(), 'preview-'));
    const preview = await run('preview', 'plugged', '-n', ns, '--svg', path.join(dir, 'week.svg'));
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('business-hours');
    expect(readFileSync(path.join(dir, 'week.svg'), 'utf8')).toMatch(/^<svg/);

    const badOption = await run('boost', 'plugged', '--min', 'lots', '--for', '1h', '-n', ns);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain(
      '--min: expected a whole number from 1 to 10000, got "lots"',
    );
    const missing = await run('explain', 'nope', '-n', ns);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`ScalingSchedule "nope" not found in namespace "${ns}"`);
    expect(first.minReplicas).toBeGreaterThanOrEqual(2);
  },
  testMs,
);

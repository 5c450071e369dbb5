/** Records the replica counts of the platform's workloads from a real cluster while a load test runs. */
import { AppsV1Api, AutoscalingV2Api, type KubeConfig } from '@kubernetes/client-node';
import { sampleFromDeployment, sampleFromHpa, type WorkloadSample } from './samples.js';

export interface RecorderOptions {
  namespace: string;
  /** Workloads to record: each one's HPA when it has one, else its Deployment. */
  workloads: readonly string[];
  intervalMs: number;
  /** Told about every sampling round that failed (the API server briefly unavailable). */
  onError?: (error: Error) => void;
}

export interface Recorder {
  /** When recording started (ms since the epoch): samples' `atSeconds` count from here. */
  startedAtMs: number;
  samples: WorkloadSample[];
  /** Takes one last sample and stops. */
  stop(): Promise<WorkloadSample[]>;
}

/** One round: every named HPA of the namespace, and the Deployment of each workload without one. */
export async function sampleOnce(
  kc: KubeConfig,
  namespace: string,
  workloads: readonly string[],
  atSeconds: number,
): Promise<WorkloadSample[]> {
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const hpas = await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace });
  const samples: WorkloadSample[] = [];
  for (const workload of workloads) {
    // An HPA is matched by the Deployment it scales, whatever its own name.
    const hpa = hpas.items.find(
      (h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === workload,
    );
    if (hpa) {
      // The HPA measures only ready pods: the Deployment says how many there were.
      const ready = await readyReplicas(apps, namespace, workload);
      samples.push({
        ...sampleFromHpa(hpa, atSeconds),
        workload,
        ...(ready !== undefined ? { readyReplicas: ready } : {}),
      });
      continue;
    }
    try {
      samples.push(
        sampleFromDeployment(
          await apps.readNamespacedDeployment({ name: workload, namespace }),
          atSeconds,
        ),
      );
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
  }
  return samples;
}

async function readyReplicas(
  apps: AppsV1Api,
  namespace: string,
  name: string,
): Promise<number | undefined> {
  try {
    const deployment = await apps.readNamespacedDeployment({ name, namespace });
    return deployment.status?.readyReplicas ?? 0;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

export function startRecorder(kc: KubeConfig, options: RecorderOptions): Recorder {
  const started = Date.now();
  const samples: WorkloadSample[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const round = () => {
    inFlight = inFlight.then(async () => {
      const at = Math.round((Date.now() - started) / 1000);
      try {
        samples.push(...(await sampleOnce(kc, options.namespace, options.workloads, at)));
      } catch (error) {
        options.onError?.(error as Error);
      }
    });
    return inFlight;
  };
  void round();
  const timer = setInterval(() => void round(), options.intervalMs);
  return {
    startedAtMs: started,
    samples,
    async stop() {
      clearInterval(timer);
      await round();
      return samples;
    },
  };
}

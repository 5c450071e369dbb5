/** Pinned tool versions, as hack/tools/versions.env states them (KEY=value lines, # comments). */
export interface ToolVersions {
  KUBE_VERSION: string;
  ETCD_VERSION: string;
  KWOK_VERSION: string;
  METRICS_SERVER_VERSION: string;
  HELM_VERSION: string;
  K6_VERSION: string;
  PROMETHEUS_VERSION: string;
  ALERTMANAGER_VERSION: string;
  JAEGER_VERSION: string;
}

const requiredKeys: (keyof ToolVersions)[] = [
  'KUBE_VERSION',
  'ETCD_VERSION',
  'KWOK_VERSION',
  'METRICS_SERVER_VERSION',
  'HELM_VERSION',
  'K6_VERSION',
  'PROMETHEUS_VERSION',
  'ALERTMANAGER_VERSION',
  'JAEGER_VERSION',
];

export function parseVersionsEnv(text: string, source = 'versions.env'): ToolVersions {
  const values = new Map<string, string>();
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([A-Z0-9_]+)=(\S+)$/.exec(line);
    if (!match) throw new Error(`${source}:${index + 1}: expected KEY=value, got "${line}"`);
    values.set(match[1]!, match[2]!);
  });
  const versions: Partial<ToolVersions> = {};
  for (const key of requiredKeys) {
    const value = values.get(key);
    if (!value) throw new Error(`${source}: ${key} is missing`);
    versions[key] = value;
  }
  return versions as ToolVersions;
}

export type ToolName =
  | 'kubectl'
  | 'helm'
  | 'k6'
  | 'kwok'
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'metrics-server'
  | 'promtool'
  | 'prometheus'
  | 'alertmanager'
  | 'jaeger';

export function versionOf(tool: ToolName, versions: ToolVersions): string {
  switch (tool) {
    case 'kubectl':
    case 'kube-apiserver':
    case 'kube-controller-manager':
    case 'kube-scheduler':
      return versions.KUBE_VERSION;
    case 'etcd':
      return versions.ETCD_VERSION;
    case 'kwok':
      return versions.KWOK_VERSION;
    case 'metrics-server':
      return versions.METRICS_SERVER_VERSION;
    case 'helm':
      return versions.HELM_VERSION;
    case 'k6':
      return versions.K6_VERSION;
    case 'promtool':
    case 'prometheus':
      return versions.PROMETHEUS_VERSION;
    case 'alertmanager':
      return versions.ALERTMANAGER_VERSION;
    case 'jaeger':
      return versions.JAEGER_VERSION;
  }
}

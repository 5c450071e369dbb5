import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { labels, selectorLabels } from '../labels.js';
import type { PlatformOptions } from '../options.js';
import { LIVENESS, READINESS } from './probes.js';
import { resourceRequirements } from './resources.js';
import { restrictedSecurityContext } from './security-context.js';

export const MAIL_CATCHER = 'mailpit';
export const MAIL_CATCHER_SMTP_PORT = 1025;
export const MAIL_CATCHER_WEB_PORT = 8025;
/** The image runs as root by default; any uid works (it only binds ports above 1024 and writes /tmp). */
const MAIL_CATCHER_UID = 10001;

export function mailCatcherSmtpUrl(options: PlatformOptions): string {
  return `smtp://${MAIL_CATCHER}.${options.namespace}.svc:${MAIL_CATCHER_SMTP_PORT}`;
}

/**
 * Mailpit: an SMTP server that keeps every message (nothing leaves the cluster) and a web inbox.
 * SMTP is a ClusterIP Service (`mailpit`); the inbox a NodePort Service (`mailpit-web`) that kind maps to the host.
 */
export class MailCatcher extends Construct {
  constructor(scope: Construct, id: string, props: { readonly options: PlatformOptions }) {
    super(scope, id);
    const { options } = props;
    const meta = (name: string) => ({
      name,
      namespace: options.namespace,
      labels: labels(MAIL_CATCHER, 'mail-catcher'),
    });
    const q = (value: string) => k8s.Quantity.fromString(value);
    const httpGet = (path: string) => ({ path, port: k8s.IntOrString.fromString('web') });

    new k8s.KubeService(this, 'smtp', {
      metadata: meta(MAIL_CATCHER),
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels(MAIL_CATCHER),
        ports: [
          {
            name: 'smtp',
            port: MAIL_CATCHER_SMTP_PORT,
            targetPort: k8s.IntOrString.fromString('smtp'),
            protocol: 'TCP',
          },
        ],
      },
    });
    new k8s.KubeService(this, 'web', {
      metadata: meta(`${MAIL_CATCHER}-web`),
      spec: {
        type: 'NodePort',
        selector: selectorLabels(MAIL_CATCHER),
        ports: [
          {
            name: 'web',
            port: MAIL_CATCHER_WEB_PORT,
            targetPort: k8s.IntOrString.fromString('web'),
            protocol: 'TCP',
            nodePort: options.mailCatcher.nodePort,
          },
        ],
      },
    });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: meta(MAIL_CATCHER),
      spec: {
        replicas: 1,
        // One inbox: a second pod would split the messages between two stores.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(MAIL_CATCHER) },
        template: {
          metadata: { labels: labels(MAIL_CATCHER, 'mail-catcher') },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: MAIL_CATCHER_UID,
              runAsGroup: MAIL_CATCHER_UID,
              fsGroup: MAIL_CATCHER_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: MAIL_CATCHER,
                image: options.mailCatcher.image,
                imagePullPolicy: options.mailCatcher.pullPolicy,
                env: [
                  // Keeps the newest 5000 messages; no update check (no egress is allowed anyway).
                  { name: 'MP_MAX_MESSAGES', value: '5000' },
                  { name: 'MP_DISABLE_VERSION_CHECK', value: 'true' },
                  // One message per Message-ID, as mail stores that de-duplicate by it show:
                  // notification sends at least once with a stable Message-ID (its README, "The
                  // one window we cannot close"); Mailpit counts what it ignored (SMTPIgnored).
                  { name: 'MP_IGNORE_DUPLICATE_IDS', value: 'true' },
                ],
                ports: [
                  { name: 'smtp', containerPort: MAIL_CATCHER_SMTP_PORT, protocol: 'TCP' },
                  { name: 'web', containerPort: MAIL_CATCHER_WEB_PORT, protocol: 'TCP' },
                ],
                // Ephemeral storage: the 256Mi message database below plus logs.
                resources: resourceRequirements({
                  requests: { cpu: '10m', memory: '32Mi', ephemeralStorage: '64Mi' },
                  limits: { cpu: '200m', memory: '128Mi', ephemeralStorage: '384Mi' },
                }),
                // Patient with a busy node (probes.ts says why).
                readinessProbe: { httpGet: httpGet('/readyz'), ...READINESS },
                livenessProbe: { httpGet: httpGet('/livez'), ...LIVENESS },
                securityContext: restrictedSecurityContext(MAIL_CATCHER_UID),
                // Its message database is a temporary SQLite file.
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: q('256Mi') } }],
          },
        },
      },
    });
  }
}

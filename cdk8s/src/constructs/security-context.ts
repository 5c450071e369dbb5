import type { k8s } from 'cdk8s-plus-33';

/**
 * A container's security context under the `restricted` Pod Security Standard the namespace enforces,
 * the same for every workload; `runAsUser` (and the same group) when the image does not set a non-root user.
 */
export function restrictedSecurityContext(runAsUser?: number): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    ...(runAsUser === undefined ? {} : { runAsUser, runAsGroup: runAsUser }),
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

// Which namespaces the controller watches: WATCH_NAMESPACE="a,b" limits it to those (each gets its
// own list/watch and needs only a Role there); empty or unset means the whole cluster.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The namespaces named by a WATCH_NAMESPACE value, deduplicated; [] = all namespaces. */
export function parseWatchNamespaces(raw: string | undefined): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (name.length > 63 || !DNS_LABEL.test(name)) {
      throw new Error(
        `WATCH_NAMESPACE: "${name}" is not a namespace name (lower-case letters, digits and '-', at most 63)`,
      );
    }
  }
  return [...new Set(names)];
}

/** List/watch paths: one per namespace, or the single cluster-wide one. */
export function watchPaths(
  collection: { group: string; version: string; plural: string },
  namespaces: readonly string[],
) {
  const base =
    collection.group === ''
      ? `/api/${collection.version}`
      : `/apis/${collection.group}/${collection.version}`;
  if (namespaces.length === 0)
    return [{ namespace: undefined, path: `${base}/${collection.plural}` }];
  return namespaces.map((namespace) => ({
    namespace,
    path: `${base}/namespaces/${namespace}/${collection.plural}`,
  }));
}

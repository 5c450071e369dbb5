/** Recommended labels; selectors use only the stable pair (name, part-of). */
export const PART_OF = 'tourkit';

export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF };
}

export function labels(name: string, component: string): Record<string, string> {
  return { ...selectorLabels(name), 'app.kubernetes.io/component': component };
}

import { randomBytes } from 'node:crypto';

const maxNameLength = 63;
const suffixLength = 6;

/** A DNS-1123 label made from a test's prefix plus a random suffix, e.g. "hpa-scaling-k3x9q2". */
export function testNamespaceName(prefix: string, random: () => string = randomSuffix): string {
  const cleaned = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxNameLength - suffixLength - 1)
    .replace(/-+$/, '');
  if (cleaned === '') throw new Error(`namespace prefix "${prefix}" has no letter or digit`);
  return `${cleaned}-${random()}`;
}

function randomSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(suffixLength), (byte) => alphabet[byte % alphabet.length]).join('');
}

import { INVARIANTS, INVARIANT_TITLES, countByInvariant, type Violation } from './invariants.js';

/** One fault's outcome: the violations found, or the error that kept the checks from running. */
export interface FaultResult {
  fault: string;
  violations: Violation[];
  /** E-mails that arrived again with the same Message-ID (the mailbox kept one of each). */
  retransmissions: number;
  /** Services that exited on their own during the fault (the suite restarts them, as a kubelet would). */
  crashes: string[];
  bookings: number;
  error?: string;
}

/**
 * The faults × invariants table, markdown: ✓, or ✗ with the number of violations; then the
 * retransmissions the mailbox kept once (a count, not a violation).
 */
export function faultTable(results: readonly FaultResult[]): string {
  const header = [
    'fault',
    'bookings',
    ...INVARIANTS.map((i) => INVARIANT_TITLES[i]),
    'no service crashed',
    'retransmissions (same Message-ID)',
  ];
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < 2 ? '---' : ':---:')).join(' | ')} |`,
  ];
  for (const result of results) {
    const counts = countByInvariant(result.violations);
    const cells =
      result.error === undefined
        ? INVARIANTS.map((i) => (counts[i] === 0 ? '✓' : `✗ ${counts[i]}`))
        : INVARIANTS.map(() => 'error');
    cells.push(result.crashes.length === 0 ? '✓' : `✗ ${result.crashes.length}`);
    cells.push(String(result.retransmissions));
    lines.push(`| ${[result.fault, String(result.bookings), ...cells].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The whole report: the table, then each fault's violations (first few) and errors. */
export function faultReport(results: readonly FaultResult[], perFault = 8): string {
  const sections = [`# Fault suite: faults × invariants`, '', faultTable(results), ''];
  for (const result of results) {
    if (result.violations.length === 0 && result.error === undefined && result.crashes.length === 0)
      continue;
    sections.push(`## ${result.fault}`, '');
    if (result.error) sections.push(`Error: ${result.error}`, '');
    for (const crash of result.crashes) sections.push(`- crashed: ${crash}`);
    for (const v of result.violations.slice(0, perFault)) {
      sections.push(`- ${v.invariant}: ${v.subject}: ${v.detail}`);
    }
    if (result.violations.length > perFault) {
      sections.push(`- … and ${result.violations.length - perFault} more`);
    }
    sections.push('');
  }
  return sections.join('\n');
}

/** The report page: pure HTML from what was drawn, nothing fetched when it is opened. */

export interface DrawnChart {
  readonly id: string;
  readonly title: string;
  /** The chart's SVG, or null when no query had data. */
  readonly svg: string | null;
  /** Under the chart: what it shows, or why it is empty. */
  readonly caption: string;
  readonly queries: readonly string[];
}

export interface ReportPage {
  readonly fromMs: number;
  readonly toMs: number;
  readonly prometheusUrl: string;
  readonly namespace: string;
  readonly charts: readonly DrawnChart[];
  /** The load test's own summaries (k6's), as links relative to the page. */
  readonly summaries: ReadonlyArray<{
    readonly name: string;
    readonly href: string;
    readonly passed?: boolean;
  }>;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const time = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

export function reportHtml(p: ReportPage): string {
  const minutes = Math.round((p.toMs - p.fromMs) / 6_000) / 10;
  const summaries =
    p.summaries.length === 0
      ? ''
      : `<section class="summaries"><h2>Load test</h2><ul>${p.summaries
          .map(
            (s) =>
              `<li><a href="${escapeHtml(s.href)}">${escapeHtml(s.name)}</a>${
                s.passed === undefined
                  ? ''
                  : s.passed
                    ? ' <span class="ok">thresholds passed</span>'
                    : ' <span class="failed">thresholds failed</span>'
              }</li>`,
          )
          .join('')}</ul></section>`;
  const charts = p.charts
    .map(
      (c) => `<section class="chart" id="${escapeHtml(c.id)}">
<h2>${escapeHtml(c.title)}</h2>
${c.svg ?? `<p class="empty">${escapeHtml(c.caption)}</p>`}
${c.svg ? `<p class="caption">${escapeHtml(c.caption)}</p>` : ''}
<details><summary>PromQL</summary><pre>${c.queries.map(escapeHtml).join('\n')}</pre></details>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tourkit load test report</title>
<style>
body { font-family: sans-serif; margin: 2rem auto; max-width: 980px; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
.meta { color: #555; margin-top: 0; }
.chart svg { max-width: 100%; height: auto; }
.caption, .empty { color: #555; font-size: 0.9rem; }
.empty { border: 1px dashed #bbb; padding: 1.5rem; text-align: center; }
.ok { color: #1a7f37; } .failed { color: #cf222e; }
pre { font-size: 0.8rem; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>Tourkit load test report</h1>
<p class="meta">${escapeHtml(time(p.fromMs))} to ${escapeHtml(time(p.toMs))} (${minutes} min), namespace <code>${escapeHtml(p.namespace)}</code>, from Prometheus at ${escapeHtml(p.prometheusUrl)}</p>
${summaries}
${charts}
</body>
</html>
`;
}

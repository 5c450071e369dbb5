/**
 * Charts drawn as SVG on the server with Vega-Lite (compiled to Vega, rendered headless: no DOM, no
 * browser), so the report is one static HTML file that opens anywhere.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface Point {
  readonly time: number;
  readonly value: number;
  readonly series: string;
}

export function lineChartSpec(points: readonly Point[], unit: string): TopLevelSpec {
  return {
    width: 760,
    height: 200,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', interpolate: 'monotone', strokeWidth: 1.5 },
    encoding: {
      // UTC, as the page's header: the report may be opened far from where the run was.
      x: {
        field: 'time',
        type: 'temporal',
        title: 'UTC',
        scale: { type: 'utc' },
        axis: { format: '%H:%M:%S' },
      },
      y: { field: 'value', type: 'quantitative', title: unit },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'right' } },
    },
    config: { font: 'sans-serif', view: { stroke: null } },
  };
}

/** A Vega-Lite specification, as `renderSvg` takes it. */
export type ChartSpec = TopLevelSpec;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

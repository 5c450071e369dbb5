export { alertmanagerConfig, jaegerConfig, prometheusConfig, type ScrapeTarget } from './config.js';
export {
  startJaeger,
  startStack,
  type Jaeger,
  type JaegerOptions,
  type Stack,
  type StackOptions,
} from './stack.js';
export { writeReport, type ReportOptions } from './report/index.js';
export { renderSvg, type ChartSpec } from './report/render.js';

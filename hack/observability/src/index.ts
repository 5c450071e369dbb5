export { alertmanagerConfig, jaegerConfig, prometheusConfig, type ScrapeTarget } from './config.js';
export {
  startJaeger,
  startStack,
  type Jaeger,
  type JaegerOptions,
  type Stack,
  type StackOptions,
} from './stack.js';

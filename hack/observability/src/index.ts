export { alertmanagerConfig, prometheusConfig, type ScrapeTarget } from './config.js';
export { startStack, type Stack, type StackOptions } from './stack.js';

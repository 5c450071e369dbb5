export * from './money.js';
export * from './rules.js';
export * from './quote.js';

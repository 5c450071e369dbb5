// preview <file.yaml> [--svg out.svg] [--from YYYY-MM-DD] [--price 0.03]
// A week of bounds as a table, an SVG chart, and replica-hours/cost against a static deployment.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { renderCost, renderSvg, renderTable, summarizeWeek, weekStart } from '../preview/week.js';
import { KIND } from '../schedule/schema.js';
import { describeErrors, validateResource } from '../schedule/validate.js';
import { parseLocalDate } from '../schedule/zoned-time.js';

/** The course's price of one instance for one hour (USD). */
export const DEFAULT_PRICE_PER_INSTANCE_HOUR = 0.03;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { svg: { type: 'string' }, from: { type: 'string' }, price: { type: 'string' } },
});
const file =
  positionals[0] ??
  fail('usage: preview <schedule.yaml> [--svg out.svg] [--from YYYY-MM-DD] [--price 0.03]');
const price = values.price === undefined ? DEFAULT_PRICE_PER_INSTANCE_HOUR : Number(values.price);
if (!Number.isFinite(price) || price < 0)
  fail(`--price: expected a non-negative number, got "${values.price}"`);
if (values.from !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.from))
  fail(`--from: expected YYYY-MM-DD, got "${values.from}"`);

let text: string;
try {
  text = readFileSync(file, 'utf8');
} catch (error) {
  fail(`${file}: ${(error as Error).message}`);
}
const documents = parseAllDocuments(text);
const parsed = documents.map((doc) => {
  if (doc.errors.length > 0) fail(`${file}: not YAML: ${doc.errors[0]!.message}`);
  return doc.toJS() as { kind?: string } | null;
});
const candidates = parsed.filter((doc) => doc?.kind === KIND);
const target = candidates[0] ?? parsed[0];
const result = validateResource(target);
if (!result.ok) fail(`${file}: invalid ScalingSchedule\n${describeErrors(result.errors)}`);
const { spec, name } = result.value;

const start = weekStart(spec, values.from ? parseLocalDate(values.from) : new Date());
const summary = summarizeWeek(spec, start);
console.log(`ScalingSchedule ${name} → HorizontalPodAutoscaler ${spec.targetRef.name}\n`);
console.log(renderTable(spec, summary));
console.log(`\n${renderCost(summary, price)}`);
if (values.svg) {
  writeFileSync(values.svg, renderSvg(spec, summary, `ScalingSchedule ${name}`));
  console.log(`\nchart: ${values.svg}`);
}

// Wall-clock arithmetic in an IANA time zone on top of Intl (Temporal is not in Node 24).
// The daylight-saving rules of a ScalingSchedule live here:
//  - a wall time inside a skipped hour maps to the first valid instant after it (the transition);
//  - a wall time inside a repeated hour maps to its first occurrence.

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime's time-zone database knows the zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// formatToParts costs microseconds and one evaluation asks for hundreds of local times (every
// window occurrence of the days it looks at, each found by probing offsets): the offset of each
// UTC hour is cached per zone, measured at both ends of the hour. Equal ends mean no transition
// inside (tzdb has no zone that changes twice within an hour), so every instant of that hour has
// that offset; unequal ends (a transition inside) are cached as null and always formatted.
const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 200_000;
const hourOffsets = new Map<string, Map<number, number | null>>();

function offsetOfHour(instantMs: number, timeZone: string): number | null {
  let zone = hourOffsets.get(timeZone);
  if (!zone) hourOffsets.set(timeZone, (zone = new Map()));
  const hour = Math.floor(instantMs / HOUR_MS);
  let offset = zone.get(hour);
  if (offset === undefined) {
    if (zone.size >= MAX_CACHED_HOURS) zone.clear();
    const start = hour * HOUR_MS;
    const end = start + HOUR_MS - 1000;
    const atStart = wallAsUtcMs(formatLocal(start, timeZone)) - start;
    const atEnd = wallAsUtcMs(formatLocal(end, timeZone)) - end;
    offset = atStart === atEnd ? atStart : null;
    zone.set(hour, offset);
  }
  return offset;
}

export function toLocal(instantMs: number, timeZone: string): LocalDateTime {
  const offset = offsetOfHour(instantMs, timeZone);
  if (offset === null) return formatLocal(instantMs, timeZone);
  const wall = new Date(instantMs + offset);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

function formatLocal(instantMs: number, timeZone: string): LocalDateTime {
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs));
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

function wallAsUtcMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** UTC offset (ms) in effect at an instant, to the second. */
export function offsetAt(instantMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return wallAsUtcMs(toLocal(wholeSecond, timeZone)) - wholeSecond;
}

/** The instant at which a wall-clock time happens, by the DST rules above. */
export function instantOf(local: LocalDateTime, timeZone: string): number {
  const wall = wallAsUtcMs(local);
  const offsets = new Set(
    [wall - DAY_MS, wall, wall + DAY_MS].map((probe) => offsetAt(probe, timeZone)),
  );
  const matches = [...offsets]
    .map((offset) => wall - offset)
    .filter((candidate) => wallAsUtcMs(toLocal(candidate, timeZone)) === wall);
  if (matches.length > 0) return Math.min(...matches);
  return endOfGap(wall, [...offsets], timeZone);
}

// The wall time is skipped: the clock jumped from before it to after it. Find the jump instant.
function endOfGap(wall: number, offsets: number[], timeZone: string): number {
  let before = wall - Math.max(...offsets); // its wall reading is earlier than `wall`
  let after = wall - Math.min(...offsets); // its wall reading is later than `wall`
  while (after - before > 1000) {
    const middle = before + Math.floor((after - before) / 2000) * 1000;
    if (wallAsUtcMs(toLocal(middle, timeZone)) < wall) before = middle;
    else after = middle;
  }
  return after;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

/** 0 = Monday … 6 = Sunday. */
export function isoWeekdayIndex(date: LocalDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

export function formatLocalDate(date: LocalDate): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

export function parseLocalDate(text: string): LocalDate {
  const [year, month, day] = text.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}

/** Instant of a wall-clock "HH:MM" (or "24:00", the next day's midnight) on a local date. */
export function instantOfClock(date: LocalDate, clock: string, timeZone: string): number {
  const [hour, minute] = clock.split(':').map(Number) as [number, number];
  const day = hour === 24 ? addDays(date, 1) : date;
  return instantOf({ ...day, hour: hour % 24, minute, second: 0 }, timeZone);
}

export const MS = { MINUTE: MINUTE_MS, DAY: DAY_MS };

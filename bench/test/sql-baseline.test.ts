import {
  learn,
  percentile,
  recordedRequest,
  substitute,
  transactionEdge,
  type RecordedStatement,
} from '../src/sql-baseline.js';

const statement = (requestId: string, at: number, text: string): RecordedStatement => ({
  requestId,
  at,
  database: 'tourkit_booking',
  client: '1:1',
  text,
  values: [],
  firstRow: null,
});

describe('the pg baseline of booking create', () => {
  it('keeps the recorded request’s statements, in the order they ran across processes', () => {
    const lines = [
      statement('bench-sql-record-1', 3, 'COMMIT'),
      statement('other', 2, 'SELECT 1'),
      statement('bench-sql-record-1', 1, 'BEGIN'),
      statement('bench-sql-record-1', 2, 'INSERT INTO bookings'),
    ]
      .map((s) => JSON.stringify(s))
      .join('\n');
    expect(recordedRequest(`${lines}\n`, 'bench-sql-record-1').map((s) => s.text)).toEqual([
      'BEGIN',
      'INSERT INTO bookings',
      'COMMIT',
    ]);
  });

  it('refuses a recording without the request, naming the variable', () => {
    expect(() => recordedRequest('', 'bench-sql-record-1')).toThrow(
      /no SQL statement recorded for request bench-sql-record-1 \(BENCH_SQL_RECORD\)/,
    );
  });

  it('replaces recorded values inside parameters (a JSON body, a seat reference) and leaves others', () => {
    const id = '6f1c2b1e-0000-4000-8000-000000000001';
    const substitutions: Array<[string, string]> = [
      ['bench-sql-record-key', 'bench-sql-9-1'],
      [id, 'new-id-0000'],
    ];
    expect(substitute('bench-sql-record-key', substitutions)).toBe('bench-sql-9-1');
    expect(substitute(`booking:${id}:reserve`, substitutions)).toBe('booking:new-id-0000:reserve');
    expect(substitute(JSON.stringify({ id, n: 1 }), substitutions)).toBe(
      '{"id":"new-id-0000","n":1}',
    );
    expect(substitute(3, substitutions)).toBe(3);
    expect(substitute(null, substitutions)).toBeNull();
  });

  it('learns what a replayed row returned instead of the recorded one (ids, timestamps), not short or equal words', () => {
    const recorded = {
      id: 'aaaaaaaa-1',
      status: 'RESERVING_SEATS',
      country: 'FR',
      travellers: 1,
      created_at: '2026-12-07T18:00:00.000Z',
    };
    const replayed = {
      id: 'bbbbbbbb-2',
      status: 'RESERVING_SEATS',
      country: 'DE',
      travellers: 1,
      created_at: new Date('2026-12-07T19:00:00.000Z'),
    };
    expect(learn(recorded, replayed)).toEqual([
      ['aaaaaaaa-1', 'bbbbbbbb-2'],
      ['2026-12-07T18:00:00.000Z', '2026-12-07T19:00:00.000Z'],
    ]);
    expect(learn(null, replayed)).toEqual([]);
    expect(learn(recorded, undefined)).toEqual([]);
  });

  it('knows where a transaction starts and ends', () => {
    expect(transactionEdge('BEGIN')).toBe('begin');
    expect(transactionEdge('  start transaction isolation level serializable')).toBe('begin');
    expect(transactionEdge('COMMIT')).toBe('end');
    expect(transactionEdge('rollback')).toBe('end');
    expect(transactionEdge('SELECT * FROM bookings WHERE id = $1 FOR UPDATE')).toBeUndefined();
  });

  it('takes percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

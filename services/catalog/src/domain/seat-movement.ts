/** A recorded seat change (`reference` like `booking:<id>:reserve`), as reconciliation reads it. */
export interface SeatMovement {
  id: string;
  tourId: string;
  delta: number;
  reference: string;
  createdAt: Date;
}

/**
 * Where a reader of the movement log stands: after the movement written by transaction `xid` with
 * id `id` (the log is ordered by (xid, id); see the seat-movements-cursor migration). On the wire
 * it is the opaque text `<xid>.<id>`; the start of the log is `0.0`.
 */
export interface SeatMovementCursor {
  xid: string;
  id: string;
}

export const LOG_START: SeatMovementCursor = { xid: '0', id: '0' };

const MAX_XID8 = 2n ** 64n - 1n;
const MAX_BIGINT = 2n ** 63n - 1n;

export function formatCursor(cursor: SeatMovementCursor): string {
  return `${cursor.xid}.${cursor.id}`;
}

/** The cursor in `text`, or null when it is not one (including numbers Postgres could not hold). */
export function parseCursor(text: string): SeatMovementCursor | null {
  const match = /^(\d{1,20})\.(\d{1,19})$/.exec(text);
  if (!match) return null;
  const xid = BigInt(match[1]!);
  const id = BigInt(match[2]!);
  if (xid > MAX_XID8 || id > MAX_BIGINT) return null;
  return { xid: xid.toString(), id: id.toString() };
}

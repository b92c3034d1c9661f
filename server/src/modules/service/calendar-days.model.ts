import mongoose, { Schema } from 'mongoose';

/**
 * The on-calendar orders (not rejected or cancelled) of one department and assignee dispatched on
 * a day: how many, and the first few in dispatch order — what a cell of the calendar shows.
 */
export interface CalendarCell {
  department: string;
  assigneeId: string;
  count: number;
  /** The first orders, each as encodeOrder writes it (see there for why a string). */
  orders: string[];
}

export interface CalendarDayDoc {
  /** China day of dispatch, YYYY-MM-DD. */
  _id: string;
  total: number;
  /** The day's cells as JSON text (encodeCells): see there for why. */
  cells: string;
  /** When the source read that produced this document began. */
  computedAt: Date;
}

/**
 * A day's cells as one JSON text rather than sub-documents: the embedded database decodes every
 * value of a document with a type schema of its own (every array element, every field of every
 * object), so ~100 cells × 7 values cost it ~10 ms a day — 30 days ~300 ms, the whole budget of a
 * calendar — where one string of the same bytes costs well under a millisecond.
 */
export const encodeCells = (cells: CalendarCell[]): string => JSON.stringify(cells);

export function decodeCells(text: string): CalendarCell[] {
  const cells: unknown = JSON.parse(text || '[]');
  return Array.isArray(cells) ? (cells as CalendarCell[]) : [];
}

/** An order as a calendar cell shows it. */
export interface CalendarOrder {
  id: string;
  dispatchedAt: Date;
  status: string;
  /** '' when neither the order nor its request has one (a request since deleted). */
  number: string;
  requestedBy: Date | null;
}

/** An order in a cell, as one short string (the number last: it may hold anything). */
export const encodeOrder = (order: CalendarOrder): string =>
  [order.id, order.dispatchedAt.getTime(), order.status, order.requestedBy ? order.requestedBy.getTime() : '', order.number].join('|');

export function decodeOrder(text: string): CalendarOrder {
  const [id = '', at = '0', status = '', requestedBy = '', ...number] = text.split('|');
  return { id, dispatchedAt: new Date(Number(at)), status, requestedBy: requestedBy ? new Date(Number(requestedBy)) : null, number: number.join('|') };
}

/** Dispatch order: time, then id (ObjectId hex strings compare as the ObjectIds do). */
export const byDispatch = (a: Pick<CalendarOrder, 'id' | 'dispatchedAt'>, b: Pick<CalendarOrder, 'id' | 'dispatchedAt'>): number =>
  a.dispatchedAt.getTime() - b.dispatchedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Day rollups of the dispatch calendar (report_calendar_days), one document per China day of
 * dispatch. Rebuilt whole from the work orders by calendar-days.ts; never edited in place.
 */
const calendarDaySchema = new Schema(
  {
    _id: { type: String, required: true },
    total: { type: Number, required: true },
    cells: { type: String, default: '[]' },
    computedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const CalendarDay = mongoose.model<CalendarDayDoc>('CalendarDay', calendarDaySchema, 'report_calendar_days');

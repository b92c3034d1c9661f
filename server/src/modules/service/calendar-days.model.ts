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
  cells: CalendarCell[];
  /** When the source read that produced this document began. */
  computedAt: Date;
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

/**
 * One string per order rather than a sub-document: the embedded database stores a type schema
 * beside every value of every array element, so a day of ~100 cells × 3 objects costs three times
 * the bytes (and the decoding) of the same orders as strings. The number goes last: it may hold
 * anything.
 */
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
    cells: { type: [Schema.Types.Mixed], default: [] },
    computedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const CalendarDay = mongoose.model<CalendarDayDoc>('CalendarDay', calendarDaySchema, 'report_calendar_days');

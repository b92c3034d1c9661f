// The workbench's calendar: today and this week (Monday first) in China time, whatever the server's zone.
import { describe, expect, it } from 'vitest';
import { todayStart, weekStart } from '../../src/modules/workbench/time.js';

describe('China calendar boundaries', () => {
  it('starts today at 00:00 China time (16:00 UTC the day before)', () => {
    expect(todayStart(new Date('2026-11-28T00:30:00Z')).toISOString()).toBe('2026-11-27T16:00:00.000Z');
    // 23:30 UTC is already the next China day.
    expect(todayStart(new Date('2026-11-27T23:30:00Z')).toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(todayStart(new Date('2026-11-27T15:59:59Z')).toISOString()).toBe('2026-11-26T16:00:00.000Z');
  });

  it('starts the week on Monday 00:00 China time', () => {
    // Saturday 2026-11-28 (China) → Monday 2026-11-23.
    expect(weekStart(new Date('2026-11-28T03:00:00Z')).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    // Sunday 2026-11-29 is still that week.
    expect(weekStart(new Date('2026-11-29T15:00:00Z')).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    // Monday 2026-11-30 00:10 China (Sunday 16:10 UTC) starts the next one.
    expect(weekStart(new Date('2026-11-29T16:10:00Z')).toISOString()).toBe('2026-11-29T16:00:00.000Z');
  });
});

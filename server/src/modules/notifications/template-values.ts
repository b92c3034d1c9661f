// Values of WeChat template / subscribe message fields, within WeChat's limits per key type
// (the key's name says its type: thing2, character_string1, time3, phrase4, phone_number5).
// WeChat refuses a message whose value breaks its type's rule, so every value goes through these.
import { chinaDate, chinaDateTime } from '../../lib/china-time.js';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function cut(text: string, max: number): string {
  const chars = [...oneLine(text)];
  if (chars.length <= max) return chars.join('');
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** thing: up to 20 characters (Chinese, letters, digits, symbols); never empty. */
export const thing = (text: string) => cut(text, 20) || '无';

/** character_string: up to 32 letters, digits and symbols. */
export const characterString = (text: string) => cut(text.replace(/[^\x21-\x7e]/g, ''), 32) || '-';

/** phrase: up to 5 Chinese characters. */
export const phrase = (text: string) => cut(text, 5) || '无';

/** phone_number: up to 17 digits and symbols. */
export const phoneNumber = (text: string) => cut(text.replace(/[^\d+\-]/g, ''), 17) || '-';

/** time: `2026-11-22 14:30`, China time. */
export const time = (at: Date): string => chinaDateTime(at);

/** date (as a time value): `2026-11-22`, China time. */
export const date = (at: Date): string => chinaDate(at);

// Values of WeChat template / subscribe message fields, within WeChat's limits per key type
// (the key's name says its type: thing2, character_string1, time3, phrase4, phone_number5).
// WeChat refuses the whole message (47003) when one value breaks its type's rule, and it displays
// no emoji: every value goes through these, so a customer's emoji or line break never costs a
// notification. Limits (WeChat: "发送订阅消息", keyword value rules): thing ≤ 20 characters, phrase ≤ 5
// Chinese characters, character_string ≤ 32 ASCII, number ≤ 32 digits, phone_number ≤ 17 digits
// and +/-, name ≤ 10 Chinese or ≤ 20 letters, amount ≤ 10 digits with optional 元, time a date/time.
import { chinaDate, chinaDateTime } from '../../lib/china-time.js';

// Pictographs and their joiners / modifiers: emoji sequences (👨‍🔧, 👍🏽, 1️⃣, 🇨🇳) vanish whole.
const EMOJI = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u{FE0E}\u{FE0F}\u{200D}\u{20E3}]/gu;
// Control characters (line breaks included) and other invisible format characters.
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** Emoji removed, line breaks and tabs turned into spaces, runs of spaces collapsed, trimmed. */
export function cleanText(text: string): string {
  return text
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(EMOJI, '')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** At most `max` characters (code points); `ellipsis` marks a cut where the type allows it. */
function cut(text: string, max: number, ellipsis: string): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return chars.slice(0, max - [...ellipsis].length).join('') + ellipsis;
}

/** thing: up to 20 characters (Chinese, letters, digits, symbols); never empty. */
export const thing = (text: string) => cut(cleanText(text), 20, '…') || '无';

/** character_string: up to 32 printable ASCII characters (no spaces); cut without an ellipsis (not ASCII). */
export const characterString = (text: string) => cut(cleanText(text).replace(/[^\x21-\x7e]/g, ''), 32, '') || '-';

/** phrase: up to 5 Chinese characters, nothing else. */
export const phrase = (text: string) => cut(cleanText(text).replace(/\P{Script=Han}/gu, ''), 5, '') || '无';

/** phone_number: up to 17 digits, + and -. */
export const phoneNumber = (text: string) => cut(cleanText(text).replace(/[^\d+\-]/g, ''), 17, '') || '-';

/** number: up to 32 digits (a decimal point allowed). */
export function number(value: number | string): string {
  const text = cleanText(String(value)).replace(/[^\d.\-]/g, '');
  return /^-?\d+(\.\d+)?$/.test(text) ? cut(text, 32, '') : '0';
}

/** name: up to 10 Chinese characters, or up to 20 letters for other scripts. */
export function name(text: string): string {
  const clean = cleanText(text);
  if (/^\p{Script=Han}+$/u.test(clean)) return cut(clean, 10, '');
  return cut(clean, 20, '') || '-';
}

/** amount: yuan with two decimals and 元, at most 10 digits before the point. */
export function amount(yuan: number): string {
  const fixed = Math.min(Math.max(yuan, 0), 9_999_999_999.99).toFixed(2);
  return `${fixed}元`;
}

/** time: `2026-11-22 14:30`, China time. */
export const time = (at: Date): string => chinaDateTime(at);

/** date (as a time value): `2026-11-22`, China time. */
export const date = (at: Date): string => chinaDate(at);

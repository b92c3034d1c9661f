// Identity verification (身份验证): a WeChat user proves to be a customer's contact with a one-time
// SMS code sent to the contact's phone, and is then bound to that contact.
//
// Rules (VERIFICATION_RULES): 6 digits, 5 minutes, one code per phone per minute and a few per
// WeChat user per quarter hour (counted from inserted request records), 5 tries, single use, only
// for the WeChat user who asked for it. Whether a phone is a contact's is never revealed before
// the code is verified. FerretDB has no atomic read-modify-write across clients, so every "only
// once" is an insert with a unique _id (lib/once.ts): each try claims the slot `<code salt>:<n>`
// (n = 1…5) before the code is compared, and success claims `<code salt>:used`. Parallel guesses
// therefore cannot get past five tries.
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { normalizePhone, VERIFICATION_RULES, type CustomerUser, type VerificationCodeResponse } from '@qiao/shared';
import { AppError, badRequest, notFound, TooManyRequests } from '../../errors.js';
import { findContactByPhone } from '../customers/contact.service.js';
import { takeOnce } from '../../lib/once.js';
import { loadCustomerUser } from './customer-user.service.js';
import type { SmsSender } from './sms.js';
import { VerificationCode, type VerificationCodeDoc } from './verification.model.js';
import { VerificationRequest } from './verification-request.model.js';
import { WeChatUser } from './wechat-user.model.js';

const RULES = VERIFICATION_RULES;
/** Claims of a code outlive it (5 minutes) by far; they are removed after a day. */
const CLAIM_KEEP_MS = 24 * 3600_000;
const secondsUntil = (at: number, now: Date) => Math.max(1, Math.ceil((at - now.getTime()) / 1000));

const contactNotFound = () =>
  notFound('CONTACT_NOT_FOUND', '该手机号未登记为客户联系人，请联系客服核实或登记后再验证');
const codeInvalid = (message = '验证码无效，请重新获取验证码') => badRequest('VERIFICATION_CODE_INVALID', message);
const tooSoon = (seconds: number) =>
  new TooManyRequests('VERIFICATION_CODE_TOO_SOON', `验证码发送过于频繁，请 ${seconds} 秒后再试`, seconds);

function tooManyAttempts(doc: VerificationCodeDoc, now: Date): AppError {
  const resendAt = doc.sentAt.getTime() + RULES.resendSeconds * 1000;
  const message =
    resendAt > now.getTime()
      ? `验证码错误次数过多，已失效，请 ${secondsUntil(resendAt, now)} 秒后重新获取`
      : '验证码错误次数过多，已失效，请重新获取验证码';
  return new AppError(429, 'VERIFICATION_TOO_MANY_ATTEMPTS', message);
}

const hashCode = (code: string, salt: string) => createHash('sha256').update(`${salt}:${code}`).digest('hex');

function codeMatches(code: string, doc: VerificationCodeDoc): boolean {
  const expected = Buffer.from(doc.codeHash, 'hex');
  const actual = Buffer.from(hashCode(code, doc.salt), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A uniformly random 6-digit code (leading zeros kept). */
export function generateCode(): string {
  return String(randomInt(0, 10 ** RULES.codeLength)).padStart(RULES.codeLength, '0');
}

export function verificationSmsText(code: string): string {
  return `【桥】您的身份验证码为 ${code}，${RULES.ttlSeconds / 60} 分钟内有效。请勿将验证码告诉他人，如非本人操作请忽略本短信。`;
}

/** Insert-once claim; false when someone already holds the slot. */
const claim = (slot: string, now: Date) => takeOnce(`verification:${slot}`, { keepMs: CLAIM_KEEP_MS, now });

const tooManyRequests = (seconds: number) =>
  new TooManyRequests('VERIFICATION_TOO_MANY_REQUESTS', `获取验证码过于频繁，请 ${Math.max(1, Math.ceil(seconds / 60))} 分钟后再试`, seconds);

/**
 * Insert-then-count rate check: one code per phone per `resendSeconds`, `perUserLimit` per user
 * per window. Returns the request's id (to release it if the SMS cannot be sent).
 */
async function admitCodeRequest(phone: string, wechatUserId: string, now: Date): Promise<string> {
  const id = randomUUID();
  await VerificationRequest.create({ _id: id, phone, wechatUserId, at: now });
  const since = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  const recent = await VerificationRequest.find(
    { $or: [{ phone, at: { $gt: since(RULES.resendSeconds) } }, { wechatUserId, at: { $gt: since(RULES.perUserWindowSeconds) } }] },
    { phone: 1, wechatUserId: 1, at: 1, refused: 1 },
  ).lean();
  const counted = recent.filter((request) => !request.refused);
  const oldest = (items: typeof counted) => Math.min(...items.map((request) => request.at.getTime()));
  const forPhone = counted.filter((request) => request.phone === phone && request.at > since(RULES.resendSeconds));
  const forUser = counted.filter((request) => request.wechatUserId === wechatUserId && request.at > since(RULES.perUserWindowSeconds));
  // Our own request is among them: of k concurrent ones, the k-th sees at least k.
  let refusal: AppError | null = null;
  if (forPhone.length > 1) refusal = tooSoon(secondsUntil(oldest(forPhone) + RULES.resendSeconds * 1000, now));
  else if (forUser.length > RULES.perUserLimit) refusal = tooManyRequests(secondsUntil(oldest(forUser) + RULES.perUserWindowSeconds * 1000, now));
  if (refusal) {
    await VerificationRequest.updateOne({ _id: id }, { $set: { refused: true } });
    throw refusal;
  }
  return id;
}

/**
 * "Send me a code": the same answer whether or not the phone belongs to a contact, so the answer
 * reveals nothing. A code is stored either way (verifying then fails alike), but an SMS goes only
 * to a real contact's phone.
 */
export async function requestVerificationCode(
  input: { phone: string; wechatUserId: string },
  sms: SmsSender,
  now = new Date(),
): Promise<VerificationCodeResponse> {
  const phone = normalizePhone(input.phone);
  const requestId = await admitCodeRequest(phone, input.wechatUserId, now);
  const isContact = Boolean(await findContactByPhone(phone));

  const code = generateCode();
  const salt = randomBytes(16).toString('hex');
  const record = {
    codeHash: hashCode(code, salt),
    salt,
    wechatUserId: input.wechatUserId,
    sentAt: now,
    expiresAt: new Date(now.getTime() + RULES.ttlSeconds * 1000),
    attempts: 0,
    usedAt: null,
  };
  // The rate check admitted one request per phone: this write has no concurrent rival.
  await VerificationCode.updateOne({ _id: phone }, { $set: record }, { upsert: true });

  if (isContact) {
    try {
      await sms.send(phone, verificationSmsText(code));
    } catch (error) {
      // Not sent: forget the code and the request, so the person can ask again at once.
      await VerificationCode.deleteOne({ _id: phone, salt }).catch(() => {});
      await VerificationRequest.updateOne({ _id: requestId }, { $set: { refused: true } }).catch(() => {});
      throw error;
    }
  }
  return { expiresIn: RULES.ttlSeconds, resendIn: RULES.resendSeconds };
}

export async function verifyCode(
  input: { phone: string; code: string; wechatUserId: string },
  now = new Date(),
): Promise<{ user: CustomerUser }> {
  const phone = normalizePhone(input.phone);
  const doc = await VerificationCode.findById(phone).lean<VerificationCodeDoc>();
  // Another WeChat user's code is not theirs to use (nor to burn with wrong tries).
  if (!doc || doc.wechatUserId !== input.wechatUserId || doc.usedAt) throw codeInvalid();
  if (doc.attempts >= RULES.maxWrongAttempts) throw tooManyAttempts(doc, now);
  if (doc.expiresAt.getTime() <= now.getTime()) {
    throw badRequest('VERIFICATION_CODE_EXPIRED', '验证码已过期，请重新获取验证码');
  }

  // Claim the next of the five tries before comparing.
  let attempt = 0;
  for (let n = doc.attempts + 1; n <= RULES.maxWrongAttempts && attempt === 0; n += 1) {
    if (await claim(`${doc.salt}:${n}`, now)) attempt = n;
  }
  if (attempt === 0) {
    await VerificationCode.updateOne({ _id: phone, salt: doc.salt }, { $max: { attempts: RULES.maxWrongAttempts } });
    throw tooManyAttempts(doc, now);
  }

  if (!codeMatches(input.code, doc)) {
    await VerificationCode.updateOne({ _id: phone, salt: doc.salt }, { $max: { attempts: attempt } });
    const left = RULES.maxWrongAttempts - attempt;
    if (left <= 0) throw tooManyAttempts(doc, now);
    throw codeInvalid(`验证码不正确，还可尝试 ${left} 次`);
  }

  if (!(await claim(`${doc.salt}:used`, now))) throw codeInvalid();
  await VerificationCode.updateOne({ _id: phone, salt: doc.salt }, { $set: { usedAt: now } });

  // The contact is looked up again: it may have been deleted since the code was sent.
  const contact = await findContactByPhone(phone);
  if (!contact) throw contactNotFound();
  await WeChatUser.updateOne({ _id: input.wechatUserId }, { $set: { contactId: String(contact._id) } });
  return { user: await loadCustomerUser(input.wechatUserId) };
}

/** DELETE /me/verification: the WeChat user is no longer bound to a contact. */
export async function unbindVerification(wechatUserId: string): Promise<{ user: CustomerUser }> {
  await WeChatUser.updateOne({ _id: wechatUserId }, { $set: { contactId: null } });
  return { user: await loadCustomerUser(wechatUserId) };
}

/** Codes nobody can use any more (their claims go with the once_claims cleanup) (FerretDB has no TTL indexes). */
export async function deleteStaleVerificationCodes(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - 24 * 3600_000);
  const codes = await VerificationCode.deleteMany({ expiresAt: { $lte: cutoff } });
  await VerificationRequest.deleteMany({ at: { $lte: cutoff } });
  return codes.deletedCount;
}

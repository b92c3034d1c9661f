// Identity verification (身份验证) on the real database: codes are read from the WeChat sandbox's
// SMS inbox over HTTP; the clock-dependent rules are driven at the service level with `now`.
import { VERIFICATION_RULES } from '@qiao/shared';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { sandboxSmsSender, unavailableSmsSender, type SmsSender } from '../../src/modules/identity/sms.js';
import { VerificationCode } from '../../src/modules/identity/verification.model.js';
import { requestVerificationCode, verifyCode } from '../../src/modules/identity/verification.service.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { adminToken, createContactViaApi, createCustomerViaApi, mpSession, uniquePhone } from '../helpers/factories.js';

let server: TestServer;
let admin: string;

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

/** A contact of a new customer with a fresh phone number. */
async function contact(name = '陈先生') {
  const customer = await createCustomerViaApi(server, admin, { name: `${name}的公司` });
  return { ...(await createContactViaApi(server, admin, customer.id, uniquePhone(), name)), customerName: customer.name };
}

const askCode = (token: string, phone: string) => call(server.url, '/api/v1/me/verification/code', { token, body: { phone } });
const verify = (token: string, phone: string, code: string) => call(server.url, '/api/v1/me/verification', { token, body: { phone, code } });

/** The codes the sandbox SMS inbox holds for a phone, newest last — over HTTP, as a tester would. */
async function inbox(phone: string): Promise<Array<{ phone: string; text: string; code: string | null; at: string }>> {
  const response = await call(server.sandbox.url, `/sms?phone=${phone}`);
  expect(response.status).toBe(200);
  return response.body.items;
}
const lastCode = async (phone: string) => (await inbox(phone)).at(-1)!.code!;
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Records codes in memory (service-level tests that move the clock). */
function memorySender(): SmsSender & { last(): string } {
  const sent: string[] = [];
  return {
    async send(_phone, text) {
      sent.push(/\d{6}/.exec(text)![0]);
    },
    last: () => sent.at(-1)!,
  };
}

async function rejects(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('asking for a code', () => {
  it('sends a 6-digit code by SMS to a known contact and answers the timings', async () => {
    const person = await mpSession(server);
    const known = await contact();
    const response = await askCode(person.token, known.phone);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ expiresIn: VERIFICATION_RULES.ttlSeconds, resendIn: VERIFICATION_RULES.resendSeconds });
    const [sms] = await inbox(known.phone);
    expect(sms!.code).toMatch(/^\d{6}$/);
    expect(sms!.text).toContain(sms!.code);
    expect(sms!.text).toContain('5 分钟');
    expect(server.sandbox.sandbox.sms(known.phone)).toHaveLength(1);

    // Only a salted hash is stored, keyed by the phone.
    const stored = await VerificationCode.findById(known.phone).lean();
    expect(stored?.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(`"${sms!.code}"`);
  });

  it('answers the same for a phone that is no contact\'s, sends it nothing, and verifying fails alike', async () => {
    const person = await mpSession(server);
    const known = await contact();
    const stranger = uniquePhone();
    const toContact = await askCode(person.token, known.phone);
    const toStranger = await askCode(person.token, stranger);
    expect(toStranger.status).toBe(toContact.status);
    expect(toStranger.body).toEqual(toContact.body);
    expect(await inbox(stranger)).toHaveLength(0);
    expect(await inbox(known.phone)).toHaveLength(1);

    const wrongForContact = await verify(person.token, known.phone, wrong(await lastCode(known.phone)));
    const guessForStranger = await verify(person.token, stranger, '123456');
    expect(guessForStranger.status).toBe(wrongForContact.status);
    expect(guessForStranger.body).toEqual(wrongForContact.body);
    // Asking again too soon is refused alike too.
    const again = await askCode(person.token, stranger);
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe((await askCode(person.token, known.phone)).body.error.code);
    expect((await askCode(person.token, '12345')).status).toBe(400);
  });

  it('sends at most one code per phone per minute, saying how long to wait', async () => {
    const person = await mpSession(server);
    const known = await contact();
    expect((await askCode(person.token, known.phone)).status).toBe(200);
    const again = await askCode(person.token, known.phone);
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('VERIFICATION_CODE_TOO_SOON');
    expect(again.body.error.message).toMatch(/请 (\d|[1-5]\d|60) 秒后再试/);
    expect(await inbox(known.phone)).toHaveLength(1);
    // Another WeChat user asking for the same number waits as well.
    expect((await askCode((await mpSession(server)).token, known.phone)).status).toBe(429);

    // A minute later (service level, moved clock) a new code replaces the old one.
    const sender = memorySender();
    await requestVerificationCode({ phone: known.phone, wechatUserId: person.userId }, sender, new Date(Date.now() + 61_000));
    expect(sender.last()).toMatch(/^\d{6}$/);
  });

  it('accepts the number as people type it (+86, spaces, dashes)', async () => {
    const person = await mpSession(server);
    const known = await contact();
    const typed = `+86 ${known.phone.slice(0, 3)}-${known.phone.slice(3, 7)} ${known.phone.slice(7)}`;
    expect((await askCode(person.token, typed)).status).toBe(200);
    const done = await verify(person.token, typed, await lastCode(known.phone));
    expect(done.status).toBe(200);
  });

  it('without an SMS provider answers 503 SMS_UNAVAILABLE and keeps no code', async () => {
    const person = await mpSession(server);
    const known = await contact();
    const error = await rejects(requestVerificationCode({ phone: known.phone, wechatUserId: person.userId }, unavailableSmsSender));
    expect(error).toMatchObject({ status: 503, code: 'SMS_UNAVAILABLE' });
    expect(await VerificationCode.findById(known.phone).lean()).toBeNull();
    // Not sent, so not rate-limited.
    expect((await askCode(person.token, known.phone)).status).toBe(200);
    // A sandbox that is not there is the same to the caller.
    const down = await rejects(sandboxSmsSender('http://127.0.0.1:9/sandbox', 500).send(known.phone, 'x'));
    expect(down.code).toBe('SMS_UNAVAILABLE');
  });
});

describe('verifying', () => {
  it('binds the WeChat user to the contact; /me shows it; the code works once; unbinding undoes it', async () => {
    const person = await mpSession(server);
    const known = await contact('林女士');
    await askCode(person.token, known.phone);
    const code = await lastCode(known.phone);

    const done = await verify(person.token, known.phone, code);
    expect(done.status).toBe(200);
    expect(done.body.user).toMatchObject({
      id: person.userId,
      verified: true,
      contact: { id: known.id, name: '林女士', phone: known.phone, customerId: known.customerId, customerName: known.customerName },
      staff: null,
    });
    const me = await call(server.url, '/api/v1/me', { token: person.token });
    expect(me.body.user.contact.id).toBe(known.id);
    expect((await call(server.url, '/api/v1/me/products', { token: person.token })).status).toBe(200);

    const reused = await verify(person.token, known.phone, code);
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe('VERIFICATION_CODE_INVALID');

    const unbound = await call(server.url, '/api/v1/me/verification', { token: person.token, method: 'DELETE' });
    expect(unbound.status).toBe(200);
    expect(unbound.body.user).toMatchObject({ verified: false, contact: null });
    expect((await call(server.url, '/api/v1/me/products', { token: person.token })).body.error.code).toBe('VERIFICATION_REQUIRED');
  });

  it('counts wrong codes: after 5 the code is dead, even the right one; a new code comes after the minute', async () => {
    const person = await mpSession(server);
    const known = await contact();
    await askCode(person.token, known.phone);
    const code = await lastCode(known.phone);

    for (let left = VERIFICATION_RULES.maxWrongAttempts - 1; left >= 1; left -= 1) {
      const response = await verify(person.token, known.phone, wrong(code));
      expect(response.status).toBe(400);
      expect(response.body.error).toEqual({ code: 'VERIFICATION_CODE_INVALID', message: `验证码不正确，还可尝试 ${left} 次` });
    }
    const fifth = await verify(person.token, known.phone, wrong(code));
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('VERIFICATION_TOO_MANY_ATTEMPTS');
    expect(fifth.body.error.message).toMatch(/秒后重新获取/);
    const right = await verify(person.token, known.phone, code);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('VERIFICATION_TOO_MANY_ATTEMPTS');
    expect((await askCode(person.token, known.phone)).status).toBe(429);

    const sender = memorySender();
    const later = new Date(Date.now() + 61_000);
    await requestVerificationCode({ phone: known.phone, wechatUserId: person.userId }, sender, later);
    const result = await verifyCode({ phone: known.phone, code: sender.last(), wechatUserId: person.userId }, later);
    expect(result.user.verified).toBe(true);
  });

  it('parallel guesses get no more than five tries between them', async () => {
    const person = await mpSession(server);
    const known = await contact();
    await askCode(person.token, known.phone);
    const code = await lastCode(known.phone);
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => verify(person.token, known.phone, String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'))),
    );
    const invalid = guesses.filter((g) => g.body.error.code === 'VERIFICATION_CODE_INVALID').length;
    expect(invalid).toBeLessThanOrEqual(VERIFICATION_RULES.maxWrongAttempts - 1);
    expect(guesses.every((g) => g.status === 400 || g.status === 429)).toBe(true);
    expect((await verify(person.token, known.phone, code)).status).toBe(429);
  });

  it('expires after 5 minutes (service level, moved clock)', async () => {
    const person = await mpSession(server);
    const known = await contact();
    const sender = memorySender();
    const start = new Date(Date.now() + 3600_000);
    await requestVerificationCode({ phone: known.phone, wechatUserId: person.userId }, sender, start);
    const late = new Date(start.getTime() + VERIFICATION_RULES.ttlSeconds * 1000);
    const expired = await rejects(verifyCode({ phone: known.phone, code: sender.last(), wechatUserId: person.userId }, late));
    expect(expired).toMatchObject({ status: 400, code: 'VERIFICATION_CODE_EXPIRED' });
    expect(expired.message).toBe('验证码已过期，请重新获取验证码');

    // Just in time works.
    const again = new Date(start.getTime() + 120_000);
    await requestVerificationCode({ phone: known.phone, wechatUserId: person.userId }, sender, again);
    const inTime = new Date(again.getTime() + VERIFICATION_RULES.ttlSeconds * 1000 - 1000);
    expect((await verifyCode({ phone: known.phone, code: sender.last(), wechatUserId: person.userId }, inTime)).user.verified).toBe(true);
  });

  it('a code is only good for the WeChat user who asked for it, and others cannot burn its tries', async () => {
    const asker = await mpSession(server);
    const other = await mpSession(server);
    const known = await contact();
    await askCode(asker.token, known.phone);
    const code = await lastCode(known.phone);
    for (let i = 0; i < 6; i += 1) {
      expect((await verify(other.token, known.phone, i === 0 ? code : wrong(code))).body.error.code).toBe('VERIFICATION_CODE_INVALID');
    }
    expect((await verify(asker.token, known.phone, code)).status).toBe(200);
  });

  it('without a code, or for a contact deleted since, the answer is an error', async () => {
    const person = await mpSession(server);
    const known = await contact();
    expect((await verify(person.token, known.phone, '123456')).body.error.code).toBe('VERIFICATION_CODE_INVALID');
    await askCode(person.token, known.phone);
    const code = await lastCode(known.phone);
    expect((await call(server.url, `/api/v1/contacts/${known.id}`, { token: admin, method: 'DELETE' })).status).toBe(204);
    const gone = await verify(person.token, known.phone, code);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('CONTACT_NOT_FOUND');
    expect((await verify(person.token, known.phone, '12345')).status).toBe(400);
  });

  it('staff console sessions cannot use the customer verification routes', async () => {
    const response = await call(server.url, '/api/v1/me/verification/code', { token: admin, body: { phone: uniquePhone() } });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('CUSTOMER_ONLY');
  });
});

describe('rates that hold under concurrency', () => {
  /** A raw fetch, to read the Retry-After header. */
  const ask = (token: string, phone: string) =>
    fetch(`${server.url}/api/v1/me/verification/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ phone }),
    });

  it('one user asking for 50 numbers at once gets a few codes, then 429 with Retry-After', async () => {
    const person = await mpSession(server);
    const known = await contact();
    const phones = [known.phone, ...Array.from({ length: 49 }, () => uniquePhone())];
    const answers = await Promise.all(phones.map((phone) => ask(person.token, phone)));
    const ok = answers.filter((a) => a.status === 200).length;
    const refused = answers.filter((a) => a.status === 429);
    // Refused requests do not count, so parallel ones may all be refused; never more than the limit pass.
    expect(ok).toBeLessThanOrEqual(VERIFICATION_RULES.perUserLimit);
    expect(ok + refused.length).toBe(50);
    for (const answer of refused) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await answer.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('VERIFICATION_TOO_MANY_REQUESTS');
      expect(body.error.message).toMatch(/请 \d+ 分钟后再试/);
    }
  });

  it('50 parallel requests for one number send exactly one code', async () => {
    const known = await contact();
    const people = await Promise.all(Array.from({ length: 10 }, () => mpSession(server)));
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => ask(people[i % 10]!.token, known.phone)));
    const ok = answers.filter((a) => a.status === 200).length;
    const refused = answers.filter((a) => a.status === 429);
    expect(ok).toBeLessThanOrEqual(1);
    expect(refused).toHaveLength(50 - ok);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await inbox(known.phone)).toHaveLength(ok);
  });
});

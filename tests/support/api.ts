// Direct API calls for test set-up (the console's and mini-program's own calls go through the UI).
export async function api<T = any>(baseUrl: string, path: string, options: { token?: string; body?: unknown; method?: string } = {}): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${options.method ?? 'GET'} ${path} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function staffToken(baseUrl: string, username: string, password: string): Promise<string> {
  return (await api<{ token: string }>(baseUrl, '/api/v1/auth/login', { body: { username, password } })).token;
}

/** Polls until `read` gives a value `ok` accepts (or the deadline passes, returning the last value). */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A valid 1×1 PNG, as a customer's photo. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A customer with a contact, and a mini-program user verified as that contact (SMS code read from the sandbox). */
export async function seedVerifiedCustomer(url: string, adminToken: string, who: { openid: string; phone: string; customerName: string }) {
  const customer = await api(url, '/api/v1/customers', { token: adminToken, body: { name: who.customerName, region: '杭州' } });
  await api(url, '/api/v1/contacts', { token: adminToken, body: { customerId: customer.id, name: '联系人', phone: who.phone } });
  const { code } = await api(url, '/sandbox/mp/login-code', { body: { openid: who.openid } });
  const session = await api(url, '/api/v1/auth/mp-login', { body: { code } });
  await api(url, '/api/v1/me/verification/code', { token: session.token, body: { phone: who.phone } });
  const inbox = await api<{ items: Array<{ code: string }> }>(url, `/sandbox/sms?phone=${who.phone}`);
  await api(url, '/api/v1/me/verification', { token: session.token, body: { phone: who.phone, code: inbox.items.at(-1)!.code } });
  return { customer, token: session.token as string };
}

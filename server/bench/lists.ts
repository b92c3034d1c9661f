// Every list, detail page and search through the HTTP API, as the console and the mini-program
// read them: p50/p95 of BENCH_SAMPLES calls each.
import type { World } from './seed.js';
import { row } from './report.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);
/** `BENCH_ONLY=search,staff`: time only the rows whose label contains one of these words. */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((word) => word.trim()).filter(Boolean);
export const wanted = (label: string) => ONLY.length === 0 || ONLY.some((word) => label.includes(word));

type Call = { label: string; path: string; token: string };

export async function timed(url: string, { path, token }: Call): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text.slice(0, 200)}`);
  return { ms, body: JSON.parse(text) };
}

async function measure(url: string, size: number, call: Call): Promise<unknown> {
  const samples: number[] = [];
  let body: unknown;
  const shown = wanted(call.label);
  const rounds = shown ? SAMPLES : 1;
  for (let i = 0; i < rounds; i += 1) {
    const result = await timed(url, call);
    samples.push(result.ms);
    body = result.body;
  }
  if (shown) row(size, call.label, samples);
  return body;
}

const firstNumber = (body: unknown) => (body as { items: Array<{ number: string }> }).items[0]?.number;
const firstId = (body: unknown) => (body as { items: Array<{ id: string }> }).items[0]?.id ?? '';

export async function benchLists(url: string, size: number, world: World, adminToken: string): Promise<void> {
  const admin = (label: string, path: string): Call => ({ label, path, token: adminToken });
  const requestLists: Call[] = [
    admin('requests: all, -createdAt', '/api/v1/feedbacks?pageSize=20'),
    admin('requests: sort createdAt', '/api/v1/feedbacks?pageSize=20&sort=createdAt'),
    admin('requests: sort number', '/api/v1/feedbacks?pageSize=20&sort=number'),
    admin('requests: sort -number', '/api/v1/feedbacks?pageSize=20&sort=-number'),
    admin('requests: sort requestedBy', '/api/v1/feedbacks?pageSize=20&sort=requestedBy'),
    admin('requests: sort -requestedBy', '/api/v1/feedbacks?pageSize=20&sort=-requestedBy'),
    admin('requests: status', '/api/v1/feedbacks?pageSize=20&status=dispatched'),
    admin('requests: type', '/api/v1/feedbacks?pageSize=20&type=repair'),
    admin('requests: engineer', `/api/v1/feedbacks?pageSize=20&engineerId=${world.engineerIds[3]}`),
    admin('requests: region + product line', `/api/v1/feedbacks?pageSize=20&region=${encodeURIComponent('宁波')}&productLine=${encodeURIComponent('空调')}`),
    admin('requests: overdue', '/api/v1/feedbacks?pageSize=20&overdue=true'),
    admin('requests: not overdue', '/api/v1/feedbacks?pageSize=20&overdue=false'),
    admin('requests: date range', `/api/v1/feedbacks?pageSize=20&from=${day(-3)}&to=${day(0)}`),
    admin('requests: page 50 by number', '/api/v1/feedbacks?pageSize=20&page=50'),
    { label: 'requests: dispatcher (1 department)', path: '/api/v1/feedbacks?pageSize=20', token: world.dispatcherToken },
    { label: 'requests: dispatcher, status', path: '/api/v1/feedbacks?pageSize=20&status=completed', token: world.dispatcherToken },
  ];
  let first: unknown;
  for (const call of requestLists) {
    const body = await measure(url, size, call);
    first ??= body;
  }
  // Page 50 by following cursors (what the console does paging forward), timed per page.
  const samples: number[] = [];
  let cursor = (first as { nextCursor?: string | null }).nextCursor;
  for (let page = 2; page <= 50 && cursor; page += 1) {
    const result = await timed(url, admin('', `/api/v1/feedbacks?pageSize=20&page=${page}&cursor=${cursor}`));
    samples.push(result.ms);
    cursor = (result.body as { nextCursor?: string | null }).nextCursor;
  }
  if (samples.length > 0 && wanted('requests: pages 2–50 by cursor')) row(size, 'requests: pages 2–50 by cursor', samples);

  const other: Call[] = [
    admin('customers', '/api/v1/customers?pageSize=20'),
    admin('customers: region', `/api/v1/customers?pageSize=20&region=${encodeURIComponent('温州')}`),
    admin('contacts', '/api/v1/contacts?pageSize=20'),
    admin('contacts: of a customer', `/api/v1/contacts?pageSize=20&customerId=${world.customerIds[7]}`),
    admin('devices (product archives)', '/api/v1/products?pageSize=20'),
    admin('devices: expiring warranty', '/api/v1/products?pageSize=20&warrantyState=expiring'),
    admin('follow-ups', '/api/v1/follow-ups?pageSize=20'),
    admin('follow-ups: open', '/api/v1/follow-ups?pageSize=20&status=open'),
    admin('staff', '/api/v1/staff?pageSize=20'),
    { label: 'dispatcher: customers (1 department)', path: '/api/v1/customers?pageSize=20', token: world.dispatcherToken },
    { label: 'dispatcher: contacts (scoped)', path: '/api/v1/contacts?pageSize=20', token: world.dispatcherToken },
    { label: 'engineer: 我的工单 待接单', path: '/api/v1/work-orders?tab=pending', token: world.engineerToken },
    { label: 'engineer: 我的工单 已完成', path: '/api/v1/work-orders?tab=done', token: world.engineerToken },
    { label: 'customer: 我的服务', path: '/api/v1/feedbacks?pageSize=10', token: world.customerToken },
  ];
  const bodies = new Map<string, unknown>();
  for (const call of other) bodies.set(call.label, await measure(url, size, call));

  const details: Call[] = [
    admin('detail: service request', `/api/v1/feedbacks/${firstId(first)}`),
    admin('detail: customer', `/api/v1/customers/${firstId(bodies.get('customers'))}`),
    admin('detail: contact', `/api/v1/contacts/${firstId(bodies.get('contacts'))}`),
    admin('detail: device', `/api/v1/products/${firstId(bodies.get('devices (product archives)'))}`),
    admin('detail: staff binding history', `/api/v1/staff/${firstId(bodies.get('staff'))}/binding-events`),
  ];
  for (const call of details) await measure(url, size, call);

  const q = (text: string) => encodeURIComponent(text);
  // A customer in the middle of the data, its first contact (the one its requests name) and device.
  const customer = Math.floor(size / 10);
  const contactPhone = `13${String(100_000_000 + 500_000 + customer * 2).slice(-9)}`;
  const searches: Call[] = [
    admin('search: request number (last digits)', `/api/v1/feedbacks?pageSize=20&q=${q(`-${String(Math.floor(size / 2)).padStart(6, '0')}`)}`),
    admin('search: request number (whole)', `/api/v1/feedbacks?pageSize=20&q=${q(firstNumber(first) ?? '')}`),
    admin('search: requests by customer name', `/api/v1/feedbacks?pageSize=20&q=${q(`客户${customer}号`)}`),
    admin('search: requests by contact name', `/api/v1/feedbacks?pageSize=20&q=${q(`联系人${customer * 2}`)}`),
    admin('search: requests by phone', `/api/v1/feedbacks?pageSize=20&q=${q(`${contactPhone.slice(0, 3)} ${contactPhone.slice(3, 7)} ${contactPhone.slice(7)}`)}`),
    admin('search: requests by serial number', `/api/v1/feedbacks?pageSize=20&q=${q(`SN${String(customer + 1).padStart(8, '0')}`)}`),
    { label: 'search: dispatcher, requests by customer name', path: `/api/v1/feedbacks?pageSize=20&q=${q(`客户${customer}号`)}`, token: world.dispatcherToken },
    admin('search: requests, broad (many hits)', `/api/v1/feedbacks?pageSize=20&q=${q('联系人1')}`),
    admin('search: customer name', `/api/v1/customers?pageSize=20&q=${q(`客户${customer}号`)}`),
    admin('search: contact name', `/api/v1/contacts?pageSize=20&q=${q('联系人12')}`),
    admin('search: phone', `/api/v1/contacts?pageSize=20&q=${q('1350050')}`),
    admin('search: serial number', `/api/v1/products?pageSize=20&q=${q('SN0000012')}`),
  ];
  for (const call of searches) await measure(url, size, call);
}

function day(offset: number): string {
  return new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

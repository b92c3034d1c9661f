// The sales lists at the seeded size (leads = size / 5, opportunities = size / 20, follow-up records
// = size / 5): as admin, a department's manager and one salesperson (own leads plus 50 shared),
// filters, searches by company (also in another form), contact and phone, and pages by cursor.
import { timed as timedCall, wanted } from './lists.js';
import { row } from './report.js';
import { benchLeadOf, type SalesWorld } from './seed.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);

type Call = { label: string; path: string; token: string };

async function measure(url: string, size: number, call: Call): Promise<unknown> {
  const samples: number[] = [];
  let body: unknown;
  const rounds = wanted(call.label) ? SAMPLES : 1;
  for (let i = 0; i < rounds; i += 1) {
    const result = await timedCall(url, call);
    samples.push(result.ms);
    body = result.body;
  }
  if (wanted(call.label)) row(size, call.label, samples);
  return body;
}

/** Pages 2…`last` following `nextCursor` from `first`, timed per page. */
async function cursorPages(url: string, size: number, call: Call, last: number): Promise<void> {
  const first = (await timedCall(url, call)).body as { nextCursor?: string | null };
  const samples: number[] = [];
  let cursor = first.nextCursor;
  for (let page = 2; page <= last && cursor; page += 1) {
    const result = await timedCall(url, { ...call, path: `${call.path}&page=${page}&cursor=${cursor}` });
    samples.push(result.ms);
    cursor = (result.body as { nextCursor?: string | null }).nextCursor;
  }
  if (samples.length > 0 && wanted(call.label)) row(size, call.label, samples);
}

const firstId = (body: unknown) => (body as { items: Array<{ id: string }> }).items[0]?.id ?? '';

export async function benchSales(url: string, size: number, sales: SalesWorld, adminToken: string): Promise<void> {
  const q = (text: string) => encodeURIComponent(text);
  const admin = (label: string, path: string): Call => ({ label, path, token: adminToken });
  const seller = (label: string, path: string): Call => ({ label, path, token: sales.salesToken });
  // A lead in the middle of the data, owned by salesperson 0 (i % 10 === 0, i % 7 !== 0).
  const mid = Math.floor(size / 10 / 70) * 70 + 10;
  const lead = benchLeadOf(mid);
  const place = lead.company.slice(0, 2);
  const industry = lead.company.slice(2 + lead.core.length, 4 + lead.core.length);
  const calls: Call[] = [
    admin('leads: all (admin)', '/api/v1/leads?pageSize=20'),
    admin('leads: status following (admin)', '/api/v1/leads?pageSize=20&status=following'),
    admin('leads: source campaign (admin)', '/api/v1/leads?pageSize=20&source=campaign'),
    admin('leads: owner (admin)', `/api/v1/leads?pageSize=20&ownerId=${sales.salesIds[3]}`),
    { label: 'leads: manager (1 department)', path: '/api/v1/leads?pageSize=20', token: sales.managerToken },
    seller('leads: salesperson (own + 50 shared)', '/api/v1/leads?pageSize=20'),
    seller('leads: salesperson, status following', '/api/v1/leads?pageSize=20&status=following'),
    admin('leads: search company (admin)', `/api/v1/leads?pageSize=20&q=${q(lead.company)}`),
    admin('leads: search company, other form (admin)', `/api/v1/leads?pageSize=20&q=${q(`${lead.core}${industry}（${place}）有限公司`)}`),
    admin('leads: search contact (admin, ~250 hits)', `/api/v1/leads?pageSize=20&q=${q(lead.name)}`),
    admin('leads: search phone (admin)', `/api/v1/leads?pageSize=20&q=${q(`+86 ${lead.phone.slice(0, 3)}-${lead.phone.slice(3, 7)}-${lead.phone.slice(7)}`)}`),
    admin('leads: search phone last 4 digits (admin)', `/api/v1/leads?pageSize=20&q=${q(lead.phone.slice(-4))}`),
    seller('leads: salesperson, search company', `/api/v1/leads?pageSize=20&q=${q(lead.core)}`),
    seller('leads: salesperson, search contact', `/api/v1/leads?pageSize=20&q=${q(lead.name)}`),
    seller('leads: salesperson, search phone', `/api/v1/leads?pageSize=20&q=${q(lead.phone)}`),
    admin('opportunities: all (admin)', '/api/v1/opportunities?pageSize=20'),
    admin('opportunities: stage open (admin)', '/api/v1/opportunities?pageSize=20&stage=open'),
    seller('opportunities: salesperson', '/api/v1/opportunities?pageSize=20'),
    admin('opportunities: search name (admin)', `/api/v1/opportunities?pageSize=20&q=${q(`项目${Math.floor(size / 40)}`)}`),
    admin('opportunities: search customer name (admin)', `/api/v1/opportunities?pageSize=20&q=${q(`客户${Math.floor(size / 40)}号`)}`),
    seller('follow records: mine (salesperson)', '/api/v1/follow-records?pageSize=20&mine=1'),
    seller('follow records: due (salesperson)', '/api/v1/follow-records?pageSize=20&due=1'),
    { label: 'follow records: due (manager)', path: '/api/v1/follow-records?pageSize=20&due=1', token: sales.managerToken },
  ];
  const bodies = new Map<string, unknown>();
  for (const call of calls) bodies.set(call.label, await measure(url, size, call));
  const leadId = firstId(bodies.get('leads: salesperson (own + 50 shared)'));
  await measure(url, size, seller('follow records: a lead\'s timeline', `/api/v1/follow-records?pageSize=20&leadId=${leadId}`));

  await cursorPages(url, size, admin('leads: pages 2–50 by cursor (admin)', '/api/v1/leads?pageSize=50'), 50);
  await cursorPages(url, size, seller('leads: pages 2–20 by cursor (salesperson)', '/api/v1/leads?pageSize=50'), 20);
  await cursorPages(url, size, admin('opportunities: pages 2–20 by cursor (admin)', '/api/v1/opportunities?pageSize=50'), 20);
  await cursorPages(url, size, seller('follow records: mine, pages 2–20 by cursor', '/api/v1/follow-records?pageSize=50&mine=1'), 20);
}

// The workbench and the menu badges at the seeded size: badges are polled by every open console
// (every 60 s and on navigation), so their uncached cost is what a busy server pays per person.
import { clearBadgeCache } from '../src/modules/workbench/workbench.service.js';
import { row } from './report.js';
import type { World } from './seed.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);

async function get(url: string, path: string, token: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text.slice(0, 200)}`);
  return performance.now() - started;
}

async function sample(url: string, path: string, token: string, options: { uncached: boolean }): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    if (options.uncached) clearBadgeCache();
    samples.push(await get(url, path, token));
  }
  return samples;
}

export async function benchWorkbench(url: string, size: number, world: World, adminToken: string): Promise<void> {
  const people = [
    { who: 'admin', token: adminToken },
    { who: 'dispatcher (1 department)', token: world.dispatcherToken },
  ];
  for (const { who, token } of people) {
    row(size, `workbench: badges, ${who}`, await sample(url, '/api/v1/workbench/badges', token, { uncached: true }));
    row(size, `workbench: badges, ${who}, cached`, await sample(url, '/api/v1/workbench/badges', token, { uncached: false }));
    row(size, `workbench: cards, ${who}`, await sample(url, '/api/v1/workbench', token, { uncached: true }));
  }
}

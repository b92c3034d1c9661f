// lib/once.ts on the real database: one winner per claim, per takeover, and a cleanup that never
// leaves a gap in a key's attempts.
import { describe, expect, it } from 'vitest';
import { attemptsOf, claimLease, deleteExpiredClaims, finishLease, OnceClaim, releaseLease, takeOnce, type Attempt } from '../../src/lib/once.js';
import { useTestDatabase } from '../helpers/db.js';

useTestDatabase();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mine = (attempts: Attempt[]) => attempts.filter((a): a is Extract<Attempt, { kind: 'mine' }> => a.kind === 'mine');

describe('once', () => {
  it('twenty parallel plain claims of one key: one wins', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => takeOnce('t:plain', { keepMs: 60_000 })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('a live lease is busy; an expired one is taken over by exactly one of twenty retriers', async () => {
    // The first lease is short; the retriers' long (a takeover's own lease must not run out mid-test).
    const lease = { leaseMs: 60_000, keepMs: 60_000, data: { n: 1 } };
    const first = await claimLease('t:lease', { ...lease, leaseMs: 1_000 });
    expect(first.kind).toBe('mine');
    expect((await claimLease('t:lease', lease)).kind).toBe('busy');
    await sleep(1_100);
    const retriers = await Promise.all(Array.from({ length: 20 }, () => claimLease('t:lease', lease)));
    const winners = mine(retriers);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.claim.attempt).toBe(1);
    expect(winners[0]!.abandoned?.owner).toBe(mine([first])[0]!.claim.owner);
    for (const other of retriers.filter((a) => a.kind !== 'mine')) expect(other.kind).toBe('busy');

    await finishLease(winners[0]!.claim, 'answer');
    const after = await claimLease('t:lease', lease);
    expect(after).toMatchObject({ kind: 'done', record: { result: 'answer', attempt: 1 } });
  });

  it('a released claim is taken over at once, without an abandoned attempt to recover', async () => {
    const lease = { leaseMs: 60_000, keepMs: 60_000, data: { received: 'first' }, carryData: true };
    const first = mine([await claimLease('t:release', lease)])[0]!;
    await releaseLease(first.claim);
    const next = mine([await claimLease('t:release', { ...lease, data: { received: 'second' } })])[0]!;
    expect(next.abandoned).toBeNull();
    expect(next.claim).toMatchObject({ attempt: 1, data: { received: 'first' } });
  });

  it('the cleanup deletes a key only when all of its attempts are past keeping', async () => {
    const short = { leaseMs: 1, keepMs: 1 };
    await claimLease('t:clean', short);
    await sleep(5);
    await claimLease('t:clean', { leaseMs: 1, keepMs: 60_000 });
    expect(await attemptsOf('t:clean')).toHaveLength(2);
    await deleteExpiredClaims();
    expect(await attemptsOf('t:clean')).toHaveLength(2);
    expect(await deleteExpiredClaims(new Date(Date.now() + 120_000))).toBeGreaterThanOrEqual(2);
    expect(await OnceClaim.countDocuments({ key: 't:clean' })).toBe(0);
  });
});

// @qiao/shared: the one source of API payload shapes, enums and pure domain rules.
// No I/O here: server, admin console and mini-program all import it.
// common.js first: it sets zod up (no JIT) before any schema is built.
export * from './common.js';
export * from './errors.js';
export * from './paging.js';
export * from './identity.js';
export * from './feedback.js';
export * from './official-account.js';
export * from './notifications.js';
export * from './menu.js';
export * from './customers.js';
export * from './staff.js';
export * from './org.js';
export * from './machine.js';
export * from './marketing.js';
export * from './spread.js';
export * from './duplicates.js';
export * from './leads.js';
export * from './opportunities.js';
export * from './pool.js';
export * from './follow-records.js';
export * from './customer360.js';
export * from './oa-messages.js';
export * from './reports.js';
export * from './imports.js';
export * from './workbench.js';

// H5 only: login through the Official Account's web authorisation. The server's callback sends the
// browser back with a one-time ticket in the hash route (`#/pages/…?qiao_ticket=…`); the app trades
// it for a session and removes it from the address bar. Without a ticket (and without the
// development `?openid=`), the app goes to the start route, which sends the browser to WeChat's
// authorize page (the sandbox's user picker in development).
import { apiBase } from './config';

const TICKET_PARAM = 'qiao_ticket';
const TICKET_PATTERN = /^[A-Za-z0-9_-]{20,128}$/;

function hashQuery(): URLSearchParams {
  const { hash } = window.location;
  return new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
}

/** The ticket in the URL, if any (left in place until `dropTicketFromUrl`). */
export function ticketInUrl(): string | null {
  if (process.env.TARO_ENV !== 'h5') return null;
  const ticket = hashQuery().get(TICKET_PARAM);
  return ticket && TICKET_PATTERN.test(ticket) ? ticket : null;
}

/** Used once: take it out of the address bar (and so out of history and shared links). */
export function dropTicketFromUrl(): void {
  const { pathname, search, hash } = window.location;
  const at = hash.indexOf('?');
  if (at === -1) return;
  const query = hashQuery();
  query.delete(TICKET_PARAM);
  const rest = query.toString();
  const route = hash.slice(0, at);
  try {
    window.history.replaceState(window.history.state, '', `${pathname}${search}${route}${rest ? `?${rest}` : ''}`);
  } catch {
    // Some embedded browsers refuse replaceState: the ticket is spent anyway.
  }
}

/** Where to come back to after authorising: this page, without a spent ticket. */
function currentH5Path(): string {
  const { pathname, search, hash } = window.location;
  const at = hash.indexOf('?');
  let route = hash;
  if (at !== -1) {
    const query = hashQuery();
    query.delete(TICKET_PARAM);
    const rest = query.toString();
    route = `${hash.slice(0, at)}${rest ? `?${rest}` : ''}`;
  }
  return `${pathname}${search}${route}`;
}

/** Leave for the web authorisation; the page is replaced, so this never resolves. */
export function startWebAuth(): Promise<never> {
  const url = `${apiBase()}/api/v1/auth/oauth/start?redirect=${encodeURIComponent(currentH5Path())}`;
  window.location.replace(url);
  return new Promise<never>(() => {});
}

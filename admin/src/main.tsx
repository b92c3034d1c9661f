import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { setUnauthorizedHandler } from './api/client';
import { App } from './App';
import './global.css';

dayjs.locale('zh-cn');

// Inside the app a 401 only needs to clear the session: RequireAuth then sends the person to
// the login page with the current path as the redirect target.
setUnauthorizedHandler(() => undefined);

// /admin → /admin/ so that the router (basename /admin/) matches.
const base = import.meta.env.BASE_URL;
if (window.location.pathname === base.replace(/\/$/, '')) {
  window.history.replaceState(null, '', base + window.location.search + window.location.hash);
}

const container = document.getElementById('root');
if (!container) throw new Error('missing #root');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

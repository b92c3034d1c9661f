import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
// The ES build: with "type": "module" the CommonJS antd/locale/zh_CN default-imports as
// {default, __esModule} (Node semantics), which ConfigProvider silently ignores (English texts).
import zhCN from 'antd/es/locale/zh_CN';
import { RequireAuth } from './auth/RequireAuth';
import { AppShell } from './layout/AppShell';
import { PageGuard } from './components/PageGuard';
import { areaPages } from './nav/areas';
import { pageComponents, subPages } from './pages/registry';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const AreaPage = lazy(() => import('./pages/AreaPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

/**
 * Router basename: the console is served under /admin/ (Vite `base`). The trailing slash is
 * kept so that the dashboard is /admin/ rather than /admin (main.tsx adds it when missing).
 */
export const ROUTER_BASENAME = import.meta.env.BASE_URL;

function PageLoading() {
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** People who ask their system for less motion get modals and drawers without zoom and slide. */
const REDUCED_MOTION = typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6, motion: !REDUCED_MOTION } }}>
      <AntApp>
        <BrowserRouter basename={ROUTER_BASENAME} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
          <Suspense fallback={<PageLoading />}>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route
                element={
                  <RequireAuth>
                    <AppShell />
                  </RequireAuth>
                }
              >
                <Route index element={<DashboardPage />} />
                {areaPages.map(({ area, ...page }) => {
                  const Page = pageComponents[page.path];
                  return (
                    <Route
                      key={page.path}
                      path={page.path}
                      element={
                        <PageGuard area={area} page={page}>
                          {Page ? <Page /> : <AreaPage area={area} page={page} />}
                        </PageGuard>
                      }
                    />
                  );
                })}
                {subPages.map(({ path, parent, component: Page }) => {
                  const owner = areaPages.find((page) => page.path === parent);
                  if (!owner) return null;
                  return (
                    <Route
                      key={path}
                      path={path}
                      element={
                        <PageGuard area={owner.area} page={owner}>
                          <Page />
                        </PageGuard>
                      }
                    />
                  );
                })}
              </Route>
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

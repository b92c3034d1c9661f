import { useEffect } from 'react';

export const APP_TITLE = '桥 · 管理控制台';

/** Sets document.title to "<page> - 桥 · 管理控制台". */
export function useDocumentTitle(pageTitle: string | undefined): void {
  useEffect(() => {
    document.title = pageTitle ? `${pageTitle} - ${APP_TITLE}` : APP_TITLE;
  }, [pageTitle]);
}

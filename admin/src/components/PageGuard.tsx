import type { ReactNode } from 'react';
import { Button, Card, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../auth/useSession';
import { DASHBOARD_PATH, type NavArea, type NavPage } from '../nav/areas';
import { canUsePage } from '../nav/roleAreas';

export interface PageGuardProps {
  area: NavArea;
  page: NavPage;
  children: ReactNode;
}

/** Renders the page for roles that use it, else a 403 (the server refuses the API calls anyway). */
export function PageGuard({ area, page, children }: PageGuardProps) {
  const session = useSession();
  const navigate = useNavigate();
  if (session && !canUsePage(session.user.role, area, page)) {
    return (
      <Card>
        <Result
          status="403"
          title="无权访问"
          subTitle={`您的角色不使用「${page.title}」功能，如需开通请联系系统管理员。`}
          extra={
            <Button type="primary" onClick={() => navigate(DASHBOARD_PATH)}>
              返回工作台
            </Button>
          }
        />
      </Card>
    );
  }
  return <>{children}</>;
}

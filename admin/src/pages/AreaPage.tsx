import { Button, Card, Empty, Result, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../auth/useSession';
import { DASHBOARD_PATH, type NavArea, type NavPage } from '../nav/areas';
import { canUseArea } from '../nav/roleAreas';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export interface AreaPageProps {
  area: NavArea;
  page: NavPage;
}

/** A product area that is not enabled yet: its title, what it is for, and an empty state. */
export default function AreaPage({ area, page }: AreaPageProps) {
  useDocumentTitle(page.title);
  const session = useSession();
  const navigate = useNavigate();

  if (session && !canUseArea(session.user.role, area.key)) {
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

  const showArea = area.pages.length > 1;
  return (
    <div data-area={area.key}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {showArea ? (
          <Typography.Text type="secondary" style={{ fontSize: 'inherit', fontWeight: 'normal' }}>
            {area.title} /{' '}
          </Typography.Text>
        ) : null}
        {page.title}
      </Typography.Title>
      <Card>
        <Empty
          style={{ padding: '48px 0' }}
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            <div>
              <Typography.Paragraph strong style={{ fontSize: 16, marginBottom: 8 }}>
                该功能即将上线
              </Typography.Paragraph>
              <Typography.Paragraph type="secondary" style={{ maxWidth: 480, margin: '0 auto' }}>
                {page.summary}
              </Typography.Paragraph>
            </div>
          }
        />
      </Card>
    </div>
  );
}

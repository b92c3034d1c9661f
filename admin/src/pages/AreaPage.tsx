import { Card, Empty, Typography } from 'antd';
import { PageHeading } from '../components/PageHeading';
import type { NavArea, NavPage } from '../nav/areas';
import { useDocumentTitle } from '../lib/useDocumentTitle';

export interface AreaPageProps {
  area: NavArea;
  page: NavPage;
}

/** A product area that is not enabled yet: its title, what it is for, and an empty state. */
export default function AreaPage({ area, page }: AreaPageProps) {
  useDocumentTitle(page.title);
  return (
    <div data-area={area.key}>
      <PageHeading area={area.pages.length > 1 ? area.title : undefined} title={page.title} />
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

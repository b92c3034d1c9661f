// 效果分析: campaigns and channels compared over a period.
import { Card, Empty } from 'antd';
import { PageHeading } from '../../components/PageHeading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';

export default function CampaignReportPage() {
  useDocumentTitle('效果分析');
  return (
    <div id="campaign-report-page">
      <PageHeading area="营销" title="效果分析" />
      <Card>
        <Empty description="暂无数据" />
      </Card>
    </div>
  );
}

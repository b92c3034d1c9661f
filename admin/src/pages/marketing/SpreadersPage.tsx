// 营销达人: the overall (or one campaign's) leaderboard of staff and customers who spread campaigns.
import { Alert, Card } from 'antd';
import { spreaderKindLabels, spreaderKinds, type SpreaderKind } from '@qiao/shared';
import { listSpreaders } from '../../api/spread';
import { CampaignSelect, useCanReadCampaigns } from '../../components/CampaignSelect';
import { FilterSelect, ListFilters } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useListParams } from '../../lib/useListParams';
import { useRemote } from '../../lib/useRemote';
import { SpreadersTable } from './SpreadersTable';

const kindOptions = spreaderKinds.map((value) => ({ value, label: spreaderKindLabels[value] }));

function isKind(value: string): value is SpreaderKind {
  return (spreaderKinds as readonly string[]).includes(value);
}

export default function SpreadersPage() {
  useDocumentTitle('营销达人');
  const canReadCampaigns = useCanReadCampaigns();
  const { page, pageSize, filters, update, paging } = useListParams(['campaignId', 'kind'] as const);
  const kind = isKind(filters.kind) ? filters.kind : undefined;
  const campaignId = filters.campaignId || undefined;
  const list = useRemote((signal) => listSpreaders({ campaignId, kind, page, pageSize }, signal), [campaignId, kind, page, pageSize]);

  return (
    <div id="spreaders-page">
      <PageHeading area="营销" title="营销达人" />
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message="营销达人榜用于表彰和了解传播效果，不与奖励挂钩"
        description="微信禁止以奖励诱导分享（诱导分享会导致链接被封禁），请勿按排名发放现金、红包或礼品。直接带来：本人转发后打开链接的阅读与访客；间接带来：其下级继续转发带来的阅读与访客。"
      />
      <Card>
        <ListFilters>
          {canReadCampaigns ? (
            <CampaignSelect id="spreaders-campaign" value={campaignId} onChange={(value) => update({ campaignId: value ?? '' })} width={260} placeholder="全部营销方案" />
          ) : null}
          <FilterSelect id="spreaders-kind" placeholder="员工 / 客户" width={140} options={kindOptions} value={kind} onChange={(value) => update({ kind: value ?? '' })} />
        </ListFilters>
        <SpreadersTable list={list} {...paging} filtered={Boolean(campaignId || kind)} />
      </Card>
    </div>
  );
}

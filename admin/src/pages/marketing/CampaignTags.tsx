// Tags and texts shared by the campaign pages.
import { Space, Tag } from 'antd';
import { campaignChannelLabels, campaignStatusLabels, type CampaignChannel, type CampaignStatus } from '@qiao/shared';

const statusColors: Record<CampaignStatus, string> = {
  draft: 'default',
  scheduled: 'purple',
  running: 'processing',
  paused: 'warning',
  completed: 'success',
  cancelled: 'error',
};

export function CampaignStatusTag({ status, id }: { status: CampaignStatus; id?: string }) {
  return (
    <Tag id={id} color={statusColors[status]} data-status={status} className="campaign-status">
      {campaignStatusLabels[status]}
    </Tag>
  );
}

const channelColors: Record<CampaignChannel, string> = { mass: 'blue', service: 'cyan', staff: 'geekblue' };

export function CampaignChannelTags({ channels }: { channels: readonly CampaignChannel[] }) {
  return (
    <Space size={[0, 4]} wrap>
      {channels.map((channel) => (
        <Tag key={channel} color={channelColors[channel]} bordered={false}>
          {campaignChannelLabels[channel]}
        </Tag>
      ))}
    </Space>
  );
}

/** WeChat's rule for each channel, in one sentence, shown where channels are chosen. */
export const channelRules: Record<CampaignChannel, string> = {
  mass: '通过公众号群发推送，素材先同步为公众号草稿再推送；服务号粉丝每月最多收到 4 次群发，本月次数已用完的人会被跳过。',
  service: '只能发给 48 小时内与公众号互动过的人（发消息、点菜单、扫码、关注）；超出窗口的人记录原因，同时选了群发时改由群发送达。',
  staff: '每位销售和服务工程师在小程序“我的方案”中收到方案，用自己的分享链接和专属海报转发给客户。',
};

import { Select, Spin } from 'antd';
import type { StaffRole } from '@qiao/shared';
import { getCampaignBrief, listCampaignChoices } from '../api/spread';
import { useSession } from '../auth/useSession';
import { useRemote } from '../lib/useRemote';

/** Who may read campaigns and their figures (GET /campaigns, share trees, funnels): admin always. */
const CAMPAIGN_READERS: readonly StaffRole[] = ['admin', 'manager', 'marketer'];

/** Whether the logged-in person may read campaigns (the campaign filter and links are theirs). */
export function useCanReadCampaigns(): boolean {
  const role = useSession()?.user.role;
  return Boolean(role && CAMPAIGN_READERS.includes(role));
}

export interface CampaignSelectProps {
  id?: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  width?: number;
  placeholder?: string;
}

/** A clearable 营销方案 filter; a campaign chosen earlier (from the URL) keeps its name. */
export function CampaignSelect({ id, value, onChange, width = 220, placeholder = '营销方案' }: CampaignSelectProps) {
  const choices = useRemote((signal) => listCampaignChoices(signal), []);
  const known = choices.data?.some((campaign) => campaign.id === value) ?? false;
  const chosen = useRemote(
    (signal) => (value && choices.data && !known ? getCampaignBrief(value, signal) : Promise.resolve(null)),
    [value, Boolean(choices.data), known],
  );
  const options = (choices.data ?? []).map((campaign) => ({ value: campaign.id, label: campaign.name }));
  if (value && !known) options.unshift({ value, label: chosen.data?.name ?? (chosen.loading ? '加载中…' : '已删除的方案') });
  return (
    <Select<string>
      id={id}
      showSearch
      allowClear
      placeholder={placeholder}
      style={{ width }}
      value={value}
      optionFilterProp="label"
      options={options}
      onChange={(next?: string) => onChange(next)}
      notFoundContent={choices.loading ? <Spin size="small" /> : choices.error ? choices.error.message : '没有营销方案'}
    />
  );
}

// The rule builder of 客户细分: the form's fields, their translation to the API's rules, and a
// one-line summary of saved rules.
import { Col, DatePicker, Form, InputNumber, Radio, Row, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { Campaign, SegmentRules } from '@qiao/shared';

type CampaignState = NonNullable<SegmentRules['campaign']>['state'];

/** The rule fields as the form holds them. */
export interface RulesForm {
  tags?: string[];
  regions?: string[];
  industries?: string[];
  grades?: string[];
  productLines?: string[];
  following?: 'any' | 'yes' | 'no';
  followed?: [Dayjs | null, Dayjs | null];
  interactedWithinDays?: number | null;
  campaignId?: string | null;
  campaignState?: CampaignState;
}

export const campaignStateLabels: Record<CampaignState, string> = { received: '收到过', read: '已阅读', 'not-read': '收到但未阅读' };

type ListKey = 'tags' | 'regions' | 'industries' | 'grades' | 'productLines';

/** The rules that are lists of values: their field in the editor and their word in a summary. */
const listRules: Array<{ key: ListKey; label: string; word: string; id: string; placeholder: string; span: number; extra?: string }> = [
  { key: 'tags', label: '联系人标签', word: '标签', id: 'segment-tags', placeholder: '例如 重点客户、展会', span: 24, extra: '输入后按回车添加；多个值之间为“或”，不同条件之间为“且”' },
  { key: 'regions', label: '地区', word: '地区', id: 'segment-regions', placeholder: '例如 杭州、上海', span: 12 },
  { key: 'industries', label: '行业', word: '行业', id: 'segment-industries', placeholder: '例如 制造业', span: 12 },
  { key: 'grades', label: '客户等级', word: '等级', id: 'segment-grades', placeholder: '例如 A、B', span: 12 },
  { key: 'productLines', label: '已购产品线', word: '产品线', id: 'segment-product-lines', placeholder: '例如 空调、热水器', span: 12, extra: '按产品档案中的产品线' },
];

function cleanList(values: string[] | undefined): string[] {
  return [...new Set((values ?? []).map((value) => value.trim()).filter(Boolean))];
}

/** The API's rules from the form: empty choices are left out (no rule). */
export function rulesFromForm(values: RulesForm): SegmentRules {
  const rules: SegmentRules = {};
  for (const { key } of listRules) {
    const list = cleanList(values[key]);
    if (list.length) rules[key] = list;
  }
  if (values.following === 'yes' || values.following === 'no') rules.following = values.following;
  const [from, to] = values.followed ?? [null, null];
  if (from) rules.followedFrom = from.format('YYYY-MM-DD');
  if (to) rules.followedTo = to.format('YYYY-MM-DD');
  if (typeof values.interactedWithinDays === 'number') rules.interactedWithinDays = values.interactedWithinDays;
  if (values.campaignId) rules.campaign = { campaignId: values.campaignId, state: values.campaignState ?? 'received' };
  return rules;
}

/** The form's values for saved rules. */
export function formFromRules(rules: SegmentRules): RulesForm {
  return {
    tags: rules.tags ?? [],
    regions: rules.regions ?? [],
    industries: rules.industries ?? [],
    grades: rules.grades ?? [],
    productLines: rules.productLines ?? [],
    following: rules.following ?? 'any',
    followed: rules.followedFrom || rules.followedTo ? [rules.followedFrom ? dayjs(rules.followedFrom) : null, rules.followedTo ? dayjs(rules.followedTo) : null] : undefined,
    interactedWithinDays: rules.interactedWithinDays ?? null,
    campaignId: rules.campaign?.campaignId ?? null,
    campaignState: rules.campaign?.state ?? 'received',
  };
}

/** Saved rules in words, one phrase per rule; names of campaigns from `campaignNames` when known. */
export function describeRules(rules: SegmentRules, campaignNames: ReadonlyMap<string, string> = new Map()): string[] {
  const parts: string[] = [];
  for (const { key, word } of listRules) {
    const values = rules[key];
    if (values?.length) parts.push(`${word}：${values.join('、')}`);
  }
  if (rules.following === 'yes') parts.push('已关注公众号');
  if (rules.following === 'no') parts.push('未关注公众号');
  if (rules.followedFrom || rules.followedTo) parts.push(`关注日期 ${rules.followedFrom ?? '不限'} 至 ${rules.followedTo ?? '不限'}`);
  if (rules.interactedWithinDays) parts.push(`近 ${rules.interactedWithinDays} 天有互动`);
  if (rules.campaign) {
    const name = campaignNames.get(rules.campaign.campaignId);
    parts.push(`${campaignStateLabels[rules.campaign.state]}${name ? `方案“${name}”` : '指定方案'}`);
  }
  return parts;
}

function TagsSelect({ id, placeholder, value, onChange }: { id: string; placeholder: string; value?: string[]; onChange?: (value: string[]) => void }) {
  return (
    <Select
      id={id}
      mode="tags"
      tokenSeparators={[',', '，', ' ']}
      placeholder={placeholder}
      notFoundContent={null}
      suffixIcon={null}
      value={value}
      onChange={onChange}
      maxCount={50}
    />
  );
}

/** The rule fields, inside the editor's Form. Campaigns are those a history rule can name. */
export function SegmentsRuleFields({ campaigns, campaignsLoading }: { campaigns: Campaign[]; campaignsLoading: boolean }) {
  const campaignId = Form.useWatch('campaignId') as string | null | undefined;
  return (
    <Row gutter={16}>
      {listRules.map(({ key, label, id, placeholder, span, extra }) => (
        <Col key={key} span={span}>
          <Form.Item name={key} label={label} extra={extra}>
            <TagsSelect id={id} placeholder={placeholder} />
          </Form.Item>
        </Col>
      ))}
      <Col span={12}>
        <Form.Item name="following" label="公众号关注">
          <Radio.Group
            id="segment-following"
            optionType="button"
            options={[
              { value: 'any', label: '不限' },
              { value: 'yes', label: '已关注' },
              { value: 'no', label: '未关注' },
            ]}
          />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="followed" label="关注日期">
          <DatePicker.RangePicker id="segment-followed" allowEmpty={[true, true]} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="interactedWithinDays" label="最近互动" extra="最近 N 天内给公众号发过消息或点过菜单">
          <InputNumber id="segment-interacted" min={1} max={3650} precision={0} addonBefore="近" addonAfter="天内" placeholder="不限" style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item label="营销历史">
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="campaignId" noStyle>
              <Select
                id="segment-campaign"
                allowClear
                showSearch
                optionFilterProp="label"
                loading={campaignsLoading}
                placeholder="选择营销方案（不限）"
                style={{ width: '60%' }}
                options={campaigns.map((campaign) => ({ value: campaign.id, label: campaign.name }))}
              />
            </Form.Item>
            <Form.Item name="campaignState" noStyle>
              <Select
                id="segment-campaign-state"
                disabled={!campaignId}
                style={{ width: '40%' }}
                options={(Object.keys(campaignStateLabels) as CampaignState[]).map((value) => ({ value, label: campaignStateLabels[value] }))}
              />
            </Form.Item>
          </Space.Compact>
        </Form.Item>
      </Col>
    </Row>
  );
}

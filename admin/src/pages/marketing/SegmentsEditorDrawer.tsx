import { Divider, Form, Input, Row } from 'antd';
import { segmentInputSchema, segmentRulesSchema, type Campaign, type Segment, type SegmentInput } from '@qiao/shared';
import { createSegment, updateSegment } from '../../api/marketing';
import { EditorDrawer } from '../../components/EditorDrawer';
import { SchemaField } from '../../components/SchemaField';
import { useEditorForm } from '../../lib/useEditorForm';
import { textValues } from '../../lib/zodForm';
import { SegmentsPreviewPanel } from './SegmentsPreview';
import { formFromRules, rulesFromForm, SegmentsRuleFields, type RulesForm } from './SegmentsRules';

export interface SegmentsEditorDrawerProps {
  open: boolean;
  /** The segment to edit; null to create one. */
  segment: Segment | null;
  campaigns: Campaign[];
  campaignsLoading: boolean;
  onClose: () => void;
  onSaved: (segment: Segment, created: boolean) => void;
}

interface SegmentForm extends RulesForm {
  name?: string;
  description?: string;
}

const fields = segmentInputSchema.shape;

/** 新建/编辑客户细分: name and rules, with the live count beside them. */
export function SegmentsEditorDrawer({ open, segment, campaigns, campaignsLoading, onClose, onSaved }: SegmentsEditorDrawerProps) {
  const { form, editor } = useEditorForm<SegmentForm, SegmentInput, Segment>(open, {
    initialValues: () => (segment ? { name: segment.name, description: segment.description, ...formFromRules(segment.rules) } : formFromRules({})),
    deps: [segment],
    schema: segmentInputSchema,
    input: (current) => ({ ...textValues(current, ['name', 'description']), rules: rulesFromForm(current) }),
    create: createSegment,
    update: segment ? (body) => updateSegment(segment.id, body) : null,
    onSaved,
  });
  // Every field: the rules are re-read (and the preview asked again) on any change.
  const values = (Form.useWatch([], form) as SegmentForm | undefined) ?? {};
  const checked = segmentRulesSchema.safeParse(rulesFromForm(values));
  const rules = open && checked.success ? checked.data : null;
  const invalidReason = checked.success ? undefined : checked.error.issues[0]?.message;

  return (
    <EditorDrawer
      name="segment"
      {...editor}
      title={segment ? `编辑客户细分：${segment.name}` : '新建客户细分'}
      width={1080}
      onClose={onClose}
      aside={<SegmentsPreviewPanel rules={rules} invalidReason={invalidReason} />}
    >
      <Form form={form} layout="vertical" name="segment">
        <Row gutter={16}>
          <SchemaField span={12} name="name" label="细分名称" required schema={fields.name} maxLength={50} placeholder="例如 杭州重点客户" />
          <SchemaField span={12} name="description" label="说明" schema={fields.description} maxLength={200} placeholder="选填">
            <Input maxLength={200} placeholder="选填" />
          </SchemaField>
        </Row>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          圈选条件（不设条件则为全部联系人）
        </Divider>
        <SegmentsRuleFields campaigns={campaigns.filter((campaign) => campaign.status !== 'draft')} campaignsLoading={campaignsLoading} />
      </Form>
    </EditorDrawer>
  );
}

import { Col, Form, Input, Radio, Row, Spin, Typography } from 'antd';
import { materialInputSchema, materialKindLabels, materialKinds, type Material, type MaterialAttachment, type MaterialInput, type MaterialKind } from '@qiao/shared';
import { createMaterial, getMaterial, updateMaterial } from '../../api/marketing';
import { EditorDrawer } from '../../components/EditorDrawer';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RichTextEditor, storedHtml } from '../../components/RichTextEditor';
import { SchemaField } from '../../components/SchemaField';
import { useEditorForm } from '../../lib/useEditorForm';
import { useRemote } from '../../lib/useRemote';
import { textValues, zodRule } from '../../lib/zodForm';
import { AttachmentsInput, CoverInput, type Cover } from './MaterialsUploads';

export interface MaterialsEditorDrawerProps {
  open: boolean;
  /** The material to edit (a list row: its body is read again); null to create one. */
  material: Material | null;
  onClose: () => void;
  onSaved: (material: Material, created: boolean) => void;
}

interface MaterialForm {
  kind?: MaterialKind;
  title?: string;
  author?: string;
  summary?: string;
  cover?: Cover | null;
  bodyHtml?: string;
  attachments?: MaterialAttachment[];
}

const fields = materialInputSchema.shape;
const kindHints: Record<MaterialKind, string> = {
  article: '图文可同步到公众号草稿，用于群发',
  poster: '海报以封面图为主，适合员工转发朋友圈',
  h5: 'H5 页面在微信内打开，可带意向表单',
};

/** 新建/编辑素材: title, cover, rich body, attachments. Every save of an existing one is a new version. */
export function MaterialsEditorDrawer({ open, material: row, onClose, onSaved }: MaterialsEditorDrawerProps) {
  // Lists leave the body out: the whole material is read when the drawer opens.
  const detail = useRemote((signal) => (open && row ? getMaterial(row.id, signal) : Promise.resolve(null)), [open, row?.id]);
  const material = row && detail.data?.id === row.id ? detail.data : null;
  const loading = row !== null && material === null;
  const { form, editor } = useEditorForm<MaterialForm, MaterialInput, Material>(open, {
    initialValues: () =>
      material
        ? {
            kind: material.kind,
            title: material.title,
            author: material.author,
            summary: material.summary,
            cover: material.coverFileId ? { fileId: material.coverFileId, url: material.coverUrl } : null,
            bodyHtml: material.bodyHtml,
            attachments: material.attachments,
          }
        : { kind: 'article', cover: null, bodyHtml: '', attachments: [] },
    deps: [material, row],
    schema: materialInputSchema,
    input: (values) => ({
      kind: values.kind,
      ...textValues(values, ['title', 'author', 'summary']),
      bodyHtml: storedHtml(values.bodyHtml),
      coverFileId: values.cover?.fileId ?? null,
      attachments: (values.attachments ?? []).map(({ fileId, name }) => ({ fileId, name })),
    }),
    create: createMaterial,
    update: row ? (body) => updateMaterial(row.id, body) : null,
    onSaved,
  });
  const kind = Form.useWatch('kind', form);

  return (
    <EditorDrawer name="material" {...editor} title={row ? `编辑素材：${row.title}` : '新建素材'} width={960} onClose={onClose} saveDisabled={loading}>
      <ErrorAlert error={row ? detail.error : null} onRetry={detail.reload} title="素材加载失败" />
      <Spin spinning={loading && !detail.error} tip="正在加载素材…">
        <Form form={form} layout="vertical" name="material">
          <Row gutter={16}>
            <Col span={24}>
              <Form.Item name="kind" label="素材类型" rules={[{ required: true, message: '请选择素材类型' }]} extra={kind ? kindHints[kind] : undefined}>
                <Radio.Group optionType="button" options={materialKinds.map((value) => ({ value, label: materialKindLabels[value] }))} />
              </Form.Item>
            </Col>
            <SchemaField span={16} name="title" label="标题" required schema={fields.title} maxLength={64} placeholder="最多 64 个字" />
            <SchemaField span={8} name="author" label="作者" schema={fields.author} maxLength={16} placeholder="选填" />
            <SchemaField span={24} name="summary" label="摘要" schema={fields.summary} extra="分享卡片和群发消息中显示，最多 120 个字">
              <Input.TextArea rows={2} maxLength={120} showCount placeholder="选填" />
            </SchemaField>
            <Col span={24}>
              <Form.Item name="cover" label="封面" extra="建议 900×500 像素，JPG 或 PNG，不超过 5 MB；群发图文必须有封面">
                <CoverInput id="material-cover" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="bodyHtml" label="正文" rules={[zodRule(fields.bodyHtml)]} extra="图片上传后插入正文；保存时服务器会移除脚本等不安全的内容">
                <RichTextEditor id="material-body" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="attachments" label="附件" extra="最多 10 个，目前支持 JPG、PNG 图片（如产品彩页），单个不超过 5 MB">
                <AttachmentsInput id="material-attachments" />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Spin>
      {material ? (
        <Typography.Text type="secondary">当前为第 {material.version} 版，保存后生成第 {material.version + 1} 版，旧版本可在“版本记录”中查看。</Typography.Text>
      ) : null}
    </EditorDrawer>
  );
}

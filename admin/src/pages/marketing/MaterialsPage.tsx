import { useState } from 'react';
import { App as AntApp, Button, Flex, Image, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { QrcodeOutlined } from '@ant-design/icons';
import { materialKindLabels, materialKinds, type Material, type MaterialKind } from '@qiao/shared';
import { deleteMaterial, listMaterials } from '../../api/marketing';
import { FilterSelect, oneOf } from '../../components/ListFilters';
import { ListPage } from '../../components/ListPage';
import { formatDateTime, formatShortDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useEditing } from '../../lib/useEditing';
import { useListParams } from '../../lib/useListParams';
import { toApiError, useRemote } from '../../lib/useRemote';
import { MaterialsEditorDrawer } from './MaterialsEditorDrawer';
import { MaterialsPreviewModal } from './MaterialsPreviewModal';
import { MaterialsVersionsDrawer } from './MaterialsVersionsDrawer';

const kindOptions = materialKinds.map((value) => ({ value, label: materialKindLabels[value] }));
const kindColors: Record<MaterialKind, string> = { article: 'blue', poster: 'magenta', h5: 'cyan' };

/** Whether WeChat has the current version as a draft (mass send syncs it first). */
export function WeChatSyncTag({ material }: { material: Material }) {
  const { mediaId, syncedVersion } = material.wechat;
  if (material.kind !== 'article') return <Typography.Text type="secondary">不适用</Typography.Text>;
  if (!mediaId || syncedVersion === null) {
    return (
      <Tooltip title="群发前会自动同步为公众号草稿">
        <Tag>未同步</Tag>
      </Tooltip>
    );
  }
  if (syncedVersion === material.version) return <Tag color="success">已同步</Tag>;
  return (
    <Tooltip title={`微信中是第 ${syncedVersion} 版，下次群发前会重新同步`}>
      <Tag color="warning">待更新</Tag>
    </Tooltip>
  );
}

/** 素材: articles, posters and H5 pages that campaigns send, with versions and a phone preview. */
export default function MaterialsPage() {
  useDocumentTitle('素材');
  const { message } = AntApp.useApp();
  const params = useListParams(['kind'] as const);
  const { page, pageSize, q, filters, update } = params;
  const kind = oneOf(materialKinds, filters.kind);
  const editing = useEditing<Material>();
  const [previewing, setPreviewing] = useState<Material | null>(null);
  const [versionsOf, setVersionsOf] = useState<Material | null>(null);

  const list = useRemote((signal) => listMaterials({ page, pageSize, q: q || undefined, kind }, signal), [page, pageSize, q, kind]);

  const remove = async (material: Material) => {
    try {
      await deleteMaterial(material.id);
      message.success(`已删除素材 ${material.title}`);
      list.reload();
    } catch (error) {
      message.error(toApiError(error).message);
    }
  };

  const columns: TableColumnsType<Material> = [
    {
      title: '标题',
      dataIndex: 'title',
      render: (_, row) => (
        <Flex gap={12} align="center">
          {row.coverUrl ? (
            <Image src={row.coverUrl} alt="" width={64} height={36} style={{ objectFit: 'cover', borderRadius: 4 }} preview={false} />
          ) : (
            <div style={{ width: 64, height: 36, background: '#f5f5f5', borderRadius: 4 }} />
          )}
          <div>
            <Typography.Text strong className="material-title">
              {row.title}
            </Typography.Text>
            {row.summary ? (
              <div>
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 360 }}>
                  {row.summary}
                </Typography.Text>
              </div>
            ) : null}
          </div>
        </Flex>
      ),
    },
    { title: '类型', dataIndex: 'kind', width: 90, render: (value: MaterialKind) => <Tag color={kindColors[value]}>{materialKindLabels[value]}</Tag> },
    { title: '版本', dataIndex: 'version', width: 70, render: (value: number) => `第 ${value} 版` },
    {
      title: '更新',
      dataIndex: 'updatedAt',
      width: 140,
      render: (value: string, row) => (
        <div title={formatDateTime(value)}>
          <div>{formatShortDateTime(value)}</div>
          <Typography.Text type="secondary">{row.updatedBy}</Typography.Text>
        </div>
      ),
    },
    { title: '微信同步', dataIndex: 'wechat', width: 100, render: (_, row) => <WeChatSyncTag material={row} /> },
    {
      title: '操作',
      width: 290,
      render: (_, row) => (
        <Space size={0}>
          <Button type="link" size="small" className="material-edit" onClick={() => editing.edit(row)}>
            编辑
          </Button>
          <Button type="link" size="small" className="material-preview" icon={<QrcodeOutlined />} onClick={() => setPreviewing(row)}>
            扫码预览
          </Button>
          <Button type="link" size="small" className="material-versions" onClick={() => setVersionsOf(row)}>
            版本记录
          </Button>
          <Popconfirm title={`删除素材“${row.title}”？`} description="未结束的营销方案正在使用的素材不能删除。" okText="删除" okButtonProps={{ danger: true }} onConfirm={() => remove(row)}>
            <Button type="link" size="small" danger className="material-delete">
              删除
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <ListPage<Material>
      area="营销"
      title="素材"
      create={{ id: 'material-create', label: '新建素材', onClick: editing.create }}
      params={params}
      search={{ id: 'material-search', placeholder: '标题、摘要', width: 240 }}
      filters={<FilterSelect id="material-kind-filter" placeholder="类型" width={120} options={kindOptions} value={kind} onChange={(value) => update({ kind: value ?? '' })} />}
      table={{ id: 'material-table', columns, list, scroll: { x: 'max-content' }, unit: '个' }}
      empty={{ filtered: Boolean(q || kind), text: '暂无素材，点击“新建素材”制作第一篇图文、海报或 H5 页面' }}
    >
      <MaterialsEditorDrawer
        open={editing.open}
        material={editing.record}
        onClose={editing.close}
        onSaved={(saved, created) => {
          editing.close();
          message.success(created ? `已创建素材 ${saved.title}` : `已保存素材 ${saved.title}（第 ${saved.version} 版）`);
          list.reload();
        }}
      />
      <MaterialsPreviewModal material={previewing} onClose={() => setPreviewing(null)} />
      <MaterialsVersionsDrawer material={versionsOf} onClose={() => setVersionsOf(null)} />
    </ListPage>
  );
}

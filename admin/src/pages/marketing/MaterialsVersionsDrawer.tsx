import { useEffect, useState } from 'react';
import { Button, Card, Descriptions, Drawer, Empty, Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { materialKindLabels, type Material, type MaterialVersion } from '@qiao/shared';
import { listMaterialVersions } from '../../api/marketing';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, orDash } from '../../lib/format';
import { useRemote } from '../../lib/useRemote';

export interface MaterialsVersionsDrawerProps {
  /** Whose versions; null when closed. */
  material: Material | null;
  onClose: () => void;
}

/** The body of a saved version, as the server sanitised it when it was saved. */
export function MaterialBody({ html }: { html: string }) {
  if (!html) return <Typography.Text type="secondary">（正文为空）</Typography.Text>;
  // Safe to render: bodyHtml is reduced to an allow-list of tags and attributes by the server.
  return <div className="material-body" style={{ maxHeight: 480, overflow: 'auto', lineHeight: 1.7 }} dangerouslySetInnerHTML={{ __html: html }} />;
}

function VersionView({ version }: { version: MaterialVersion }) {
  return (
    <Card size="small" id="material-version-view" title={`第 ${version.version} 版：${version.title}`}>
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="类型">{materialKindLabels[version.kind]}</Descriptions.Item>
        <Descriptions.Item label="作者">{orDash(version.author)}</Descriptions.Item>
        <Descriptions.Item label="保存">{`${formatDateTime(version.savedAt)} ${version.savedBy}`}</Descriptions.Item>
        <Descriptions.Item label="封面">{version.coverFileId ? '有' : '无'}</Descriptions.Item>
        <Descriptions.Item label="摘要" span={2}>
          {orDash(version.summary)}
        </Descriptions.Item>
        <Descriptions.Item label="附件" span={2}>
          {version.attachments.length ? version.attachments.map((item) => item.name).join('、') : '—'}
        </Descriptions.Item>
      </Descriptions>
      <MaterialBody html={version.bodyHtml} />
    </Card>
  );
}

/** 版本记录: every saved version of a material, any of them viewable. */
export function MaterialsVersionsDrawer({ material, onClose }: MaterialsVersionsDrawerProps) {
  const [selected, setSelected] = useState<number | null>(null);
  const versions = useRemote((signal) => (material ? listMaterialVersions(material.id, signal) : Promise.resolve([])), [material?.id]);
  useEffect(() => setSelected(null), [material?.id]);

  const rows = versions.data ?? [];
  const shown = rows.find((row) => row.version === selected);
  const columns: TableColumnsType<MaterialVersion> = [
    {
      title: '版本',
      dataIndex: 'version',
      width: 90,
      render: (value: number) => (
        <Flex gap={4}>
          第 {value} 版{value === material?.version ? <Tag color="blue">当前</Tag> : null}
        </Flex>
      ),
    },
    { title: '标题', dataIndex: 'title', ellipsis: true },
    { title: '保存时间', dataIndex: 'savedAt', width: 150, render: (value: string) => formatDateTime(value) },
    { title: '保存人', dataIndex: 'savedBy', width: 100 },
    {
      title: '操作',
      width: 80,
      render: (_, row) => (
        <Button type="link" size="small" className="material-version-view" onClick={() => setSelected(row.version)}>
          查看
        </Button>
      ),
    },
  ];

  return (
    <Drawer open={material !== null} title={`版本记录：${material?.title ?? ''}`} width={820} onClose={onClose} destroyOnHidden>
      <div id="material-versions">
        <ErrorAlert error={versions.error} onRetry={versions.reload} />
        <Table<MaterialVersion>
          rowKey="version"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={versions.error ? [] : rows}
          loading={versions.loading}
          rowClassName={(row) => (row.version === selected ? 'ant-table-row-selected' : '')}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={versions.error ? '加载失败' : '暂无版本记录'} /> }}
          style={{ marginBottom: 16 }}
        />
        {shown ? <VersionView version={shown} /> : rows.length ? <Typography.Text type="secondary">点击“查看”浏览该版本的内容。</Typography.Text> : null}
      </div>
    </Drawer>
  );
}

import { Card, Descriptions, Image, Space, Table, Typography } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import type { Visit } from '@qiao/shared';
import { formatDateTime, formatFen } from '../../lib/format';

type Part = Visit['parts'][number] & { key: number };
type Charge = Visit['charges'][number] & { key: number };

export function PhotoGrid({ photos, size = 96 }: { photos: Visit['photos']; size?: number }) {
  if (photos.length === 0) return <Typography.Text type="secondary">无</Typography.Text>;
  return (
    <Image.PreviewGroup>
      <Space wrap size={8}>
        {photos.map((photo, index) => (
          // Signed relative URLs from the server, used as they are.
          <Image
            key={photo.id}
            src={photo.url}
            width={size}
            height={size}
            alt={`照片 ${index + 1}`}
            style={{ objectFit: 'cover', borderRadius: 4 }}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

/** One on-site visit (处理记录): check-in, place, notes, photos, parts and charges. */
export function VisitCard({ visit, index }: { visit: Visit; index: number }) {
  const total = visit.charges.reduce((sum, charge) => sum + charge.amountFen, 0);
  return (
    <Card size="small" type="inner" className="visit-card" title={`第 ${index + 1} 次处理 · ${visit.engineer.name}`}>
      <Descriptions column={2} size="small">
        <Descriptions.Item label="签到时间">{formatDateTime(visit.checkInAt)}</Descriptions.Item>
        <Descriptions.Item label="签到地点">
          {visit.location ? (
            <Space size={4}>
              <EnvironmentOutlined />
              {visit.location.address ||
                `${visit.location.latitude.toFixed(5)}, ${visit.location.longitude.toFixed(5)}`}
            </Space>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label="给客户的说明" span={2}>
          {visit.customerNote || '—'}
        </Descriptions.Item>
        <Descriptions.Item label="内部备注" span={2}>
          {visit.internalNote ? <Typography.Text type="warning">{visit.internalNote}</Typography.Text> : '—'}
        </Descriptions.Item>
        {visit.photos.length > 0 ? (
          <Descriptions.Item label="现场照片" span={2}>
            <PhotoGrid photos={visit.photos} size={72} />
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      {visit.parts.length > 0 ? (
        <Table<Part>
          className="visit-parts"
          size="small"
          style={{ marginTop: 12 }}
          title={() => '使用配件'}
          pagination={false}
          dataSource={visit.parts.map((part, key) => ({ ...part, key }))}
          columns={[
            { title: '配件名称', dataIndex: 'name' },
            { title: '型号', dataIndex: 'model', render: (value: string) => value || '—' },
            { title: '数量', dataIndex: 'quantity', width: 80, align: 'right' },
          ]}
        />
      ) : null}
      {visit.charges.length > 0 ? (
        <Table<Charge>
          className="visit-charges"
          size="small"
          style={{ marginTop: 12 }}
          title={() => '服务费用'}
          pagination={false}
          dataSource={visit.charges.map((charge, key) => ({ ...charge, key }))}
          columns={[
            { title: '费用项目', dataIndex: 'item' },
            { title: '金额', dataIndex: 'amountFen', width: 140, align: 'right', render: (value: number) => formatFen(value) },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>合计</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <Typography.Text strong className="visit-charges-total">
                  {formatFen(total)}
                </Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      ) : null}
    </Card>
  );
}

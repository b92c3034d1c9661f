// The workbench's short lists (due follow-ups, the latest campaigns' results), each linking on.
import { Button, Card, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { WorkbenchList } from '@qiao/shared';
import { formatDateTime } from '../../lib/format';

function ListCard({ list }: { list: WorkbenchList }) {
  const navigate = useNavigate();
  return (
    <Card
      id={`workbench-list-${list.key}`}
      size="small"
      title={list.title}
      extra={
        list.link ? (
          <Button type="link" size="small" onClick={() => navigate(list.link!)}>
            查看全部
          </Button>
        ) : null
      }
      style={{ height: '100%' }}
    >
      <List
        size="small"
        dataSource={list.items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={list.emptyText} /> }}
        renderItem={(item) => (
          <List.Item
            key={item.id}
            onClick={item.link ? () => navigate(item.link!) : undefined}
            style={{ cursor: item.link ? 'pointer' : 'default' }}
          >
            <List.Item.Meta
              title={
                <Space size={8}>
                  <Typography.Text strong>{item.title}</Typography.Text>
                  {item.urgent ? <Tag color="error">已逾期</Tag> : null}
                </Space>
              }
              description={
                <Space direction="vertical" size={2}>
                  {item.description ? <Typography.Text type="secondary">{item.description}</Typography.Text> : null}
                  {item.at ? <Typography.Text type="secondary">{formatDateTime(item.at)}</Typography.Text> : null}
                </Space>
              }
            />
            {item.figures ? (
              <Space size={16} wrap>
                {item.figures.map((figure) => (
                  <span key={figure.label} style={{ textAlign: 'center', display: 'inline-block', minWidth: 36 }}>
                    <Typography.Text strong>{figure.value}</Typography.Text>
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {figure.label}
                    </Typography.Text>
                  </span>
                ))}
              </Space>
            ) : null}
          </List.Item>
        )}
      />
    </Card>
  );
}

export function WorkbenchLists({ lists }: { lists: WorkbenchList[] }) {
  if (lists.length === 0) return null;
  return (
    <Row gutter={[16, 16]}>
      {lists.map((list) => (
        <Col key={list.key} xs={24} xl={lists.length > 1 ? 12 : 24}>
          <ListCard list={list} />
        </Col>
      ))}
    </Row>
  );
}

import { Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import dayjs from 'dayjs';
import { staffRoleLabels } from '@qiao/shared';
import { useSession } from '../auth/useSession';
import { navAreas } from '../nav/areas';
import { usablePages } from '../nav/roleAreas';
import { getDepartmentTree } from '../api/departments';
import { findDepartment } from '../components/DepartmentSelect';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useRemote } from '../lib/useRemote';

function greeting(hour: number): string {
  if (hour < 6) return '夜深了';
  if (hour < 11) return '早上好';
  if (hour < 13) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

/** 工作台: a welcome card and shortcuts to the areas this person's role uses. */
export default function DashboardPage() {
  useDocumentTitle('工作台');
  const session = useSession();
  const navigate = useNavigate();
  const tree = useRemote((signal) => getDepartmentTree(signal), []);
  if (!session) return null;
  const { user } = session;
  const now = dayjs();
  const areas = navAreas.filter((area) => area.key !== 'dashboard');

  return (
    <Space direction="vertical" size={24} style={{ width: '100%' }}>
      <Card id="welcome-card">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {greeting(now.hour())}，{user.name}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          欢迎使用桥 · 客户服务与营销平台。今天是 {now.format('YYYY年M月D日 dddd')}。
        </Typography.Paragraph>
        <Descriptions column={{ xs: 1, sm: 3 }} size="small">
          <Descriptions.Item label="账号">{user.username}</Descriptions.Item>
          <Descriptions.Item label="角色">
            <Tag color="blue">{staffRoleLabels[user.role]}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label="部门">{user.department ? (findDepartment(tree.data ?? [], user.department)?.name ?? '—') : '未分配'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <div>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          常用功能
        </Typography.Title>
        <Row gutter={[16, 16]}>
          {areas.flatMap((area) =>
            usablePages(user.role, area).map((page) => {
              const Icon = area.icon;
              return (
                <Col key={page.path} xs={24} sm={12} lg={8} xl={6}>
                  <Card hoverable size="small" onClick={() => navigate(page.path)} style={{ height: '100%' }}>
                    <Space align="start">
                      <Icon />
                      <div>
                        <Typography.Text strong>{page.title}</Typography.Text>
                        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                          {page.summary}
                        </Typography.Paragraph>
                      </div>
                    </Space>
                  </Card>
                </Col>
              );
            }),
          )}
        </Row>
      </div>
    </Space>
  );
}

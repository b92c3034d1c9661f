import { Button, Card, Col, Empty, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import dayjs from 'dayjs';
import { staffRoleLabels } from '@qiao/shared';
import { useSession } from '../auth/useSession';
import { navAreas } from '../nav/areas';
import { usablePages } from '../nav/roleAreas';
import { getDepartmentTree } from '../api/departments';
import { getWorkbench } from '../api/workbench';
import { findDepartment } from '../components/DepartmentSelect';
import { ErrorAlert } from '../components/ErrorAlert';
import { refreshMenuBadges } from '../layout/useMenuBadges';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useRemote } from '../lib/useRemote';
import { WorkbenchCardGroup } from './workbench/WorkbenchCards';
import { WorkbenchLists } from './workbench/WorkbenchLists';

function greeting(hour: number): string {
  if (hour < 6) return '夜深了';
  if (hour < 11) return '早上好';
  if (hour < 13) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

/** 工作台: a short welcome, then what waits for this person's role (cards, short lists), then shortcuts. */
export default function DashboardPage() {
  useDocumentTitle('工作台');
  const session = useSession();
  const navigate = useNavigate();
  const tree = useRemote((signal) => getDepartmentTree(signal), []);
  const workbench = useRemote((signal) => getWorkbench(signal), []);
  if (!session) return null;
  const { user } = session;
  const now = dayjs();
  const areas = navAreas.filter((area) => area.key !== 'dashboard');
  const departmentName = user.department ? (findDepartment(tree.data ?? [], user.department)?.name ?? '—') : '未分配部门';
  const refresh = () => {
    workbench.reload();
    refreshMenuBadges();
  };
  const data = workbench.data;
  const first = workbench.loading && !data;

  return (
    <Space direction="vertical" size={20} style={{ width: '100%' }}>
      <Card id="welcome-card" size="small">
        <Row align="middle" justify="space-between" gutter={[12, 8]}>
          <Col>
            <Space size={12} wrap>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {greeting(now.hour())}，{user.name}
              </Typography.Title>
              <Tag color="blue">{staffRoleLabels[user.role]}</Tag>
              <Typography.Text type="secondary">
                {departmentName} · {now.format('YYYY年M月D日 dddd')}
              </Typography.Text>
            </Space>
          </Col>
          <Col>
            <Space size={8}>
              {data ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  更新于 {dayjs(data.generatedAt).format('HH:mm:ss')}
                </Typography.Text>
              ) : null}
              <Button id="workbench-refresh" icon={<ReloadOutlined />} loading={workbench.loading} onClick={refresh}>
                刷新
              </Button>
            </Space>
          </Col>
        </Row>
      </Card>

      <ErrorAlert error={workbench.error} onRetry={workbench.reload} title="工作台数据加载失败" />
      {first ? (
        <Card size="small" id="workbench-loading">
          <Skeleton active paragraph={{ rows: 3 }} />
        </Card>
      ) : null}
      {data && data.groups.length === 0 && data.lists.length === 0 ? (
        <Card size="small" id="workbench-empty">
          <Empty description="暂无待办事项" />
        </Card>
      ) : null}
      {data ? (
        <div id="workbench" aria-busy={workbench.loading}>
          <Space direction="vertical" size={20} style={{ width: '100%' }}>
            {data.groups.map((group) => (
              <WorkbenchCardGroup key={group.key} id={group.key} title={group.title} cards={group.cards} />
            ))}
            <WorkbenchLists lists={data.lists} />
          </Space>
        </div>
      ) : null}

      <div>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          常用功能
        </Typography.Title>
        <Row gutter={[12, 12]}>
          {areas.flatMap((area) =>
            usablePages(user.role, area).map((page) => {
              const Icon = area.icon;
              return (
                <Col key={page.path} xs={12} sm={8} lg={6} xl={4}>
                  <Card hoverable size="small" onClick={() => navigate(page.path)} style={{ height: '100%' }}>
                    <Space>
                      <Icon />
                      <Typography.Text strong>{page.title}</Typography.Text>
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

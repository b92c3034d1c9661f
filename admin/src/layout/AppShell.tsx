import { Suspense, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { App as AntApp, Avatar, Badge, Button, Layout, Menu, Space, Spin, Tag, Tooltip, Typography, theme } from 'antd';
import type { MenuProps } from 'antd';
import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { staffRoleLabels } from '@qiao/shared';
import { logout } from '../api/auth';
import { useSession } from '../auth/useSession';
import { findPage, navAreas } from '../nav/areas';
import { usablePages } from '../nav/roleAreas';
import { BrandMark } from './BrandMark';
import styles from './AppShell.module.css';
import { useMenuBadges } from './useMenuBadges';

type MenuItem = Required<MenuProps>['items'][number];

/** `menu-badge-service-requests` for `/service/requests`: what browser tests look for. */
const badgeId = (key: string) => `menu-badge-${key.replace(/^\//, '').replace(/[/:]/g, '-')}`;

/** A menu label with its count of waiting things (nothing for 0). */
function withBadge(label: string, key: string, count: number, submenu = false) {
  if (count <= 0) return label;
  return (
    <span className={submenu ? `${styles.badged} ${styles.badgedSubmenu}` : styles.badged}>
      <span>{label}</span>
      <span id={badgeId(key)} data-count={count}>
        <Badge count={count} overflowCount={99} size="small" title={`${count} 项待处理`} />
      </span>
    </span>
  );
}

/** The logged-in layout: side menu of the product areas, header with the user, page outlet. */
export function AppShell() {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);

  const role = session?.user.role;
  const current = findPage(location.pathname);
  const badges = useMenuBadges(Boolean(role), location.pathname);

  const items = useMemo<MenuItem[]>(() => {
    if (!role) return [];
    return navAreas.flatMap((area): MenuItem[] => {
      const pages = usablePages(role, area);
      const [only] = pages;
      if (!only) return [];
      const Icon = area.icon;
      // A lone page named like its area is a plain item (工作台, 报表); anything else a sub-menu.
      if (pages.length === 1 && only.title === area.title) {
        return [{ key: only.path, icon: <Icon />, label: withBadge(area.title, only.path, badges[only.path] ?? 0) }];
      }
      // The sub-menu's title shows the sum of its pages' badges.
      const sum = pages.reduce((total, page) => total + (badges[page.path] ?? 0), 0);
      return [
        {
          key: `area:${area.key}`,
          icon: <Icon />,
          label: withBadge(area.title, `area-${area.key}`, sum, true),
          children: pages.map((page) => ({ key: page.path, label: withBadge(page.title, page.path, badges[page.path] ?? 0) })),
        },
      ];
    });
  }, [role, badges]);

  const [openKeys, setOpenKeys] = useState<string[]>(() =>
    current && current.area.pages.length > 1 ? [`area:${current.area.key}`] : [],
  );

  if (!session) return null; // RequireAuth redirects
  const { user } = session;

  const onLogout = async () => {
    setLoggingOut(true);
    await logout();
    navigate('/login', { replace: true });
    message.success('已退出登录');
  };

  return (
    <Layout id="app-shell" className={styles.shell}>
      <Layout.Sider
        width={220}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        trigger={null}
        theme="dark"
        className={styles.sider}
      >
        <div className={styles.logo}>
          <BrandMark size={32} />
          {!collapsed && <span className={styles.logoText}>桥 · 管理控制台</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={current ? [current.page.path] : []}
          openKeys={openKeys}
          onOpenChange={setOpenKeys}
          onClick={({ key }) => navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className={styles.header} style={{ background: token.colorBgContainer }}>
          <Button
            type="text"
            aria-label={collapsed ? '展开菜单' : '收起菜单'}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
          />
          <Space size={12} className={styles.user}>
            <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
            <Typography.Text strong id="current-user">
              {user.name}
            </Typography.Text>
            <Tag color="blue" id="current-role" className={styles.roleTag}>
              {staffRoleLabels[user.role]}
            </Tag>
            <Tooltip title="退出当前账号">
              <Button id="logout" type="text" icon={<LogoutOutlined />} loading={loggingOut} onClick={onLogout}>
                退出登录
              </Button>
            </Tooltip>
          </Space>
        </Layout.Header>
        <Layout.Content className={styles.content}>
          <Suspense
            fallback={
              <div className={styles.loading}>
                <Spin tip="加载中…" size="large">
                  <div style={{ padding: 48 }} />
                </Spin>
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

import type { ComponentType } from 'react';
import {
  BarChartOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  NotificationOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { StaffRole } from '@qiao/shared';

/** Top-level product areas of the console; roleAreas.ts decides who sees which. */
export type AreaKey = 'dashboard' | 'service' | 'marketing' | 'sales' | 'reports' | 'system';

export interface NavPage {
  /** Route path inside the console (without the /admin base). */
  path: string;
  title: string;
  /** One sentence on what the page will be for, shown while it is not enabled yet. */
  summary: string;
  /** Roles (among those using the area, see roleAreas.ts) that use this page; all of them when unset. */
  roles?: readonly StaffRole[];
}

export interface NavArea {
  key: AreaKey;
  title: string;
  icon: ComponentType;
  /** One page: a plain menu item; several: a sub-menu. */
  pages: NavPage[];
}

export const DASHBOARD_PATH = '/';

/** The API's “dispatcher”: service requests, dispatching and follow-ups (docs/API.md). */
const DISPATCHERS: readonly StaffRole[] = ['admin', 'manager', 'dispatcher'];
/** The API's editors of the Official Account's menu and auto replies. */
const OA_EDITORS: readonly StaffRole[] = ['admin', 'manager', 'marketer'];
/** The API's managers of materials, segments and campaigns. */
const MARKETERS: readonly StaffRole[] = ['admin', 'manager', 'marketer'];

export const navAreas: NavArea[] = [
  {
    key: 'dashboard',
    title: '工作台',
    icon: DashboardOutlined,
    pages: [{ path: DASHBOARD_PATH, title: '工作台', summary: '' }],
  },
  {
    key: 'service',
    title: '服务',
    icon: CustomerServiceOutlined,
    pages: [
      {
        path: '/service/requests',
        title: '服务请求/工单',
        summary: '受理客户在微信中提交的报修、安装、投诉与咨询，派工给服务工程师并跟踪处理进度。',
        roles: DISPATCHERS,
      },
      {
        path: '/service/follow-ups',
        title: '回访',
        summary: '对服务完成后的低分评价和重点客户安排回访，记录回访结果。',
        roles: DISPATCHERS,
      },
      {
        path: '/service/products',
        title: '产品档案',
        summary: '管理客户的产品序列号、安装日期与保修到期时间，到期前自动提醒。',
        roles: [...DISPATCHERS, 'sales'],
      },
      {
        path: '/service/engineers',
        title: '服务工程师',
        summary: '查看服务工程师的服务地区、产品线和当前工单量，为工程师生成微信绑定邀请码。',
        roles: DISPATCHERS,
      },
    ],
  },
  {
    key: 'marketing',
    title: '营销',
    icon: NotificationOutlined,
    pages: [
      {
        path: '/marketing/materials',
        title: '素材',
        summary: '制作图文、海报和 H5 页面素材，并可扫描二维码预览。',
        roles: MARKETERS,
      },
      {
        path: '/marketing/segments',
        title: '客户细分',
        summary: '按标签、地区、行业、客户等级等条件圈定目标人群，使用前可查看实时人数。',
        roles: MARKETERS,
      },
      {
        path: '/marketing/campaigns',
        title: '营销方案',
        summary: '将素材推送给客户细分，跟踪传播路径、营销达人和带来的线索。',
        roles: MARKETERS,
      },
      {
        path: '/marketing/spreaders',
        title: '营销达人',
        summary: '按转发带来的直接与间接阅读、访客和线索，为职员和客户排名（仅作表彰，不设奖励）。',
      },
      {
        path: '/marketing/analysis',
        title: '效果分析',
        summary: '对比一段时间内各营销方案和各渠道的送达、阅读、访客、意向与线索，可导出 Excel。',
        roles: ['admin', 'manager', 'marketer'],
      },
      {
        path: '/marketing/oa-messages',
        title: '公众号消息',
        summary: '查看粉丝发给公众号的消息，48 小时内以客服消息回复，把有意向的粉丝转为线索。',
        roles: ['admin', 'manager', 'marketer', 'sales'],
      },
      {
        path: '/marketing/oa-menu',
        title: '自定义菜单',
        summary: '编辑公众号底部菜单（最多 3 个一级菜单、每个 5 个子菜单），预览后发布到微信。',
        roles: OA_EDITORS,
      },
      {
        path: '/marketing/auto-replies',
        title: '自动回复',
        summary: '设置公众号的关键词回复、菜单点击回复、关注欢迎语和默认回复。',
        roles: OA_EDITORS,
      },
    ],
  },
  {
    key: 'sales',
    title: '销售',
    icon: TeamOutlined,
    pages: [
      {
        path: '/sales/leads',
        title: '线索',
        summary: '汇总营销意向、公众号消息和手工录入的线索，进行撞单分析、分配与转化。',
      },
      {
        path: '/sales/customers',
        title: '客户',
        summary: '查看客户 360 视图：联系人、微信身份、产品、工单、营销记录与满意度。',
        roles: [...DISPATCHERS, 'sales'],
      },
      {
        path: '/sales/pool',
        title: '客户公海',
        summary: '超期未跟进的客户自动回到公海，销售可在名额内申领或转交。',
      },
    ],
  },
  {
    key: 'reports',
    title: '报表',
    icon: BarChartOutlined,
    pages: [
      {
        path: '/reports',
        title: '报表',
        summary: '服务请求跟踪、派工日程、工程师满意度、营销效果与线索转化等统计，可导出 Excel。',
      },
    ],
  },
  {
    key: 'system',
    title: '系统',
    icon: SettingOutlined,
    pages: [
      {
        path: '/system/staff',
        title: '职员与部门',
        summary: '维护职员账号、角色与所属部门，并通过邀请码绑定职员的微信身份。',
      },
      {
        path: '/system/departments',
        title: '部门管理',
        summary: '维护部门树：新增下级部门、重命名、移动和删除；人员按部门及其下级部门查看数据。',
      },
      {
        path: '/system/follower-sync',
        title: '粉丝同步',
        summary: '从微信读取公众号的全部粉丝并关联小程序身份，查看同步进度。',
        roles: ['admin'],
      },
      {
        path: '/system/duplicate-rules',
        title: '撞单规则',
        summary: '设置参与撞单的字段、完全一致或相似匹配、撞单列表显示的列，以及撞单时是否允许保存。',
        roles: ['admin'],
      },
    ],
  },
];

/** Every menu page except the dashboard, with the area it belongs to. */
export const areaPages: Array<NavPage & { area: NavArea }> = navAreas
  .filter((area) => area.key !== 'dashboard')
  .flatMap((area) => area.pages.map((page) => ({ ...page, area })));

/**
 * The area and page a console path belongs to, if any: the page itself, or the page it lies
 * below (/service/requests/42 belongs to 服务请求/工单).
 */
export function findPage(pathname: string): { area: NavArea; page: NavPage } | undefined {
  let best: { area: NavArea; page: NavPage } | undefined;
  for (const area of navAreas) {
    for (const page of area.pages) {
      if (page.path === pathname) return { area, page };
      const below = page.path !== DASHBOARD_PATH && pathname.startsWith(`${page.path}/`);
      if (below && (!best || page.path.length > best.page.path.length)) best = { area, page };
    }
  }
  return best;
}

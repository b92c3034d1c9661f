// Which component renders which console page. Menu pages without one show the AreaPage placeholder.
import { lazy, type ComponentType } from 'react';

const FeedbackListPage = lazy(() => import('./service/FeedbackListPage'));
const FeedbackDetailPage = lazy(() => import('./service/FeedbackDetailPage'));
const FollowUpsPage = lazy(() => import('./service/FollowUpsPage'));
const ProductsPage = lazy(() => import('./service/ProductsPage'));
const CustomersPage = lazy(() => import('./sales/CustomersPage'));
const Customer360Page = lazy(() => import('./sales/Customer360Page'));
const LeadsPage = lazy(() => import('./sales/LeadsPage'));
const OpportunitiesPage = lazy(() => import('./sales/OpportunitiesPage'));
const PoolPage = lazy(() => import('./sales/PoolPage'));
const PoolRulesPage = lazy(() => import('./system/PoolRulesPage'));
const ShareTreePage = lazy(() => import('./marketing/ShareTreePage'));
const FunnelPage = lazy(() => import('./marketing/FunnelPage'));
const SpreadersPage = lazy(() => import('./marketing/SpreadersPage'));
const CampaignReportPage = lazy(() => import('./marketing/CampaignReportPage'));
const StaffPage = lazy(() => import('./system/StaffPage'));
const DepartmentsPage = lazy(() => import('./system/DepartmentsPage'));
const FollowerSyncPage = lazy(() => import('./system/FollowerSyncPage'));
const DuplicateRulesPage = lazy(() => import('./system/DuplicateRulesPage'));
const MenuPage = lazy(() => import('./marketing/MenuPage'));
const AutoRepliesPage = lazy(() => import('./marketing/AutoRepliesPage'));
const OaMessagesPage = lazy(() => import('./marketing/OaMessagesPage'));
const MaterialsPage = lazy(() => import('./marketing/MaterialsPage'));
const SegmentsPage = lazy(() => import('./marketing/SegmentsPage'));
const CampaignsPage = lazy(() => import('./marketing/CampaignsPage'));
const CampaignDetailPage = lazy(() => import('./marketing/CampaignDetailPage'));
const ReportsPage = lazy(() => import('./reports/ReportsPage'));

/** Components of menu pages (areas.ts), by path. */
export const pageComponents: Record<string, ComponentType> = {
  '/service/requests': FeedbackListPage,
  '/service/follow-ups': FollowUpsPage,
  '/service/products': ProductsPage,
  // Dispatchers' view of the engineers: the staff page limited to role engineer.
  '/service/engineers': () => <StaffPage engineersOnly />,
  '/sales/customers': CustomersPage,
  '/sales/leads': LeadsPage,
  '/sales/opportunities': OpportunitiesPage,
  '/sales/pool': PoolPage,
  '/system/pool-rules': PoolRulesPage,
  '/marketing/spreaders': SpreadersPage,
  '/marketing/analysis': CampaignReportPage,
  '/system/staff': StaffPage,
  '/system/departments': DepartmentsPage,
  '/system/follower-sync': FollowerSyncPage,
  '/system/duplicate-rules': DuplicateRulesPage,
  '/marketing/oa-menu': MenuPage,
  '/marketing/auto-replies': AutoRepliesPage,
  '/marketing/oa-messages': OaMessagesPage,
  '/marketing/materials': MaterialsPage,
  '/marketing/segments': SegmentsPage,
  '/marketing/campaigns': CampaignsPage,
  '/reports': ReportsPage,
};

/** Pages below a menu page (same roles as that page). */
export const subPages: Array<{ path: string; parent: string; component: ComponentType }> = [
  { path: '/marketing/campaigns/:id/share-tree', parent: '/marketing/campaigns', component: ShareTreePage },
  { path: '/marketing/campaigns/:id/funnel', parent: '/marketing/campaigns', component: FunnelPage },
  { path: '/service/requests/:id', parent: '/service/requests', component: FeedbackDetailPage },
  { path: '/sales/customers/:id', parent: '/sales/customers', component: Customer360Page },
  { path: '/marketing/campaigns/:id', parent: '/marketing/campaigns', component: CampaignDetailPage },
];

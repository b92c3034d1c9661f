// Share-path tracking (public: the landing page), the share tree, the leaderboard, the funnel and
// comparison (with .xlsx export), personal posters and the JS-SDK configuration.
import {
  campaignReportQuerySchema,
  campaignReportSchema,
  funnelQuerySchema,
  funnelSchema,
  intentCreateSchema,
  jsConfigQuerySchema,
  jsConfigSchema,
  objectIdParamSchema,
  pagedSchema,
  shareTreeQuerySchema,
  shareTreeSchema,
  spreaderSchema,
  spreadersQuerySchema,
  trackViewResultSchema,
  trackViewSchema,
} from '@qiao/shared';
import type { Context } from 'koa';
import { z } from 'zod';
import { bearerToken } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import type { Principal } from '../identity/principal.js';
import { resolveSession } from '../identity/session.service.js';
import { attachmentDisposition, funnelWorkbook, reportWorkbook, XLSX_TYPE } from './export.js';
import { campaignFunnel, campaignReport } from './funnel.service.js';
import { submitIntent, type IntentDeps } from './intent.service.js';
import { jsConfig, type JsSdkDeps } from './jssdk.service.js';
import { personalPoster, type PosterDeps } from './poster.service.js';
import { spreaders } from './spreaders.service.js';
import { trackView } from './tracking.service.js';
import { shareTree } from './tree.service.js';

export interface SpreadDeps extends IntentDeps {
  jsSdk: JsSdkDeps;
  poster: PosterDeps;
}

const ANALYSTS = { staff: ['marketer', 'manager'] } as const;

/** A public page may carry a session: its person is the viewer; without one (or a stale one), anonymous. */
async function optionalPrincipal(ctx: Context): Promise<Principal | null> {
  const token = bearerToken(ctx);
  return token ? resolveSession(token) : null;
}

function sendXlsx(ctx: Context, book: Buffer, name: string, fallback: string): Buffer {
  ctx.type = XLSX_TYPE;
  ctx.set('Content-Disposition', attachmentDisposition(name, fallback));
  ctx.set('Cache-Control', 'no-store');
  return book;
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function spreadRoutes(api: ApiRoutes, deps: SpreadDeps): void {
  api.add({
    method: 'post',
    path: '/api/v1/track/view',
    access: 'public',
    summary: '记录活动页浏览，返回浏览者自己的分享标识和活动内容',
    body: trackViewSchema,
    response: trackViewResultSchema,
    handler: async ({ body, ctx }) => trackView(body, await optionalPrincipal(ctx), ctx.ip),
  });
  api.add({
    method: 'get',
    path: '/api/v1/wechat/js-config',
    access: 'public',
    summary: 'H5 页面的 JS-SDK 配置（wx.config 签名）',
    query: jsConfigQuerySchema,
    response: jsConfigSchema,
    handler: async ({ query }) => jsConfig(query.url, deps.jsSdk),
  });
  api.add({
    method: 'post',
    path: '/api/v1/campaigns/:id/intents',
    access: 'public',
    summary: '提交意向（生成线索；同一人再次提交则更新其线索）',
    params: objectIdParamSchema,
    body: intentCreateSchema,
    response: z.object({ leadId: z.string() }),
    status: 201,
    handler: async ({ params, body, ctx }) => {
      const { leadId } = await submitIntent(params.id, body, await optionalPrincipal(ctx), deps);
      return { leadId };
    },
  });
  // Before /campaigns/:id of the marketing routes: `report` is not an id.
  api.add({
    method: 'get',
    path: '/api/v1/campaigns/report',
    access: ANALYSTS,
    summary: '营销方案与渠道对比（format=xlsx 导出 Excel）',
    query: campaignReportQuerySchema,
    response: campaignReportSchema,
    handler: async ({ query, ctx }) => {
      const report = await campaignReport(query);
      if (query.format !== 'xlsx') return report;
      return sendXlsx(ctx, await reportWorkbook(report), `营销效果对比-${today()}.xlsx`, `campaign-report-${today()}.xlsx`);
    },
  });
  api.add({
    method: 'get',
    path: '/api/v1/campaigns/:id/funnel',
    access: ANALYSTS,
    summary: '营销方案效果漏斗（format=xlsx 导出 Excel）',
    params: objectIdParamSchema,
    query: funnelQuerySchema,
    response: funnelSchema,
    handler: async ({ params, query, ctx }) => {
      const { name, funnel } = await campaignFunnel(params.id);
      if (query.format !== 'xlsx') return funnel;
      return sendXlsx(ctx, await funnelWorkbook(name, funnel), `营销漏斗-${name}-${today()}.xlsx`, `campaign-funnel-${today()}.xlsx`);
    },
  });
  api.add({
    method: 'get',
    path: '/api/v1/campaigns/:id/share-tree',
    access: ANALYSTS,
    summary: '传播路径树：根节点、某节点的子节点（parent）、按姓名搜索（q）、按时间筛选',
    params: objectIdParamSchema,
    query: shareTreeQuerySchema,
    response: shareTreeSchema,
    handler: async ({ params, query }) => shareTree(params.id, query),
  });
  api.add({
    method: 'get',
    path: '/api/v1/spreaders',
    access: { staff: ['marketer', 'manager', 'sales'] },
    summary: '营销达人排行（按带来的独立访客）',
    query: spreadersQuerySchema,
    response: pagedSchema(spreaderSchema),
    handler: async ({ query }) => spreaders(query),
  });
  api.add({
    method: 'get',
    path: '/api/v1/campaigns/:id/poster',
    access: { staff: 'any', customer: true },
    summary: '个人推广海报（PNG，带本人的带参数二维码）',
    params: objectIdParamSchema,
    handler: async ({ params, principal, ctx }) => {
      const png = await personalPoster(params.id, principal!, deps.poster);
      ctx.type = 'image/png';
      ctx.set('Cache-Control', 'private, max-age=300');
      return png;
    },
  });
}

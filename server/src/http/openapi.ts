// GET /api/v1/openapi.json — generated from the declared routes and their shared zod schemas,
// so the document cannot drift from what the server validates.
import { z } from 'zod';
import { apiErrorSchema } from '@qiao/shared';
import type { RouteInfo } from './route.js';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodTypeAny, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

function parameters(schema: z.ZodTypeAny | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

function security(route: RouteInfo) {
  return route.access === 'public' ? [] : [{ bearer: [] }];
}

function accessNote(route: RouteInfo): string {
  if (route.access === 'public') return '公开';
  if (typeof route.access === 'string') return route.access === 'customer' ? '小程序客户' : '小程序用户';
  return route.access.staff === 'any' ? '职员' : `职员：${route.access.staff.join('、')}`;
}

export function openApiDocument(routes: RouteInfo[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const errorResponse = { description: '错误', content: { 'application/json': { schema: toSchema(apiErrorSchema, 'output') } } };
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const ok = route.status ?? 200;
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      description: `调用方：${accessNote(route)}`,
      security: security(route),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } } : {}),
      responses: {
        [String(ok)]: route.response
          ? { description: '成功', content: { 'application/json': { schema: toSchema(route.response, 'output') } } }
          : { description: '成功' },
        '400': errorResponse,
        ...(route.access === 'public' ? {} : { '401': errorResponse, '403': errorResponse }),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Qiao API', version, description: '桥 · 客户服务与营销平台 JSON API。错误统一为 {"error":{"code","message"}}。' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

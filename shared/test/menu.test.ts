// WeChat's custom-menu rules in the shared schema: names counted in UTF-8 bytes, actions complete.
import { describe, expect, it } from 'vitest';
import { menuSchema, toWeChatMenu } from '../src/index.js';

const issues = (value: unknown) => {
  const result = menuSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('menuSchema', () => {
  it('counts names in bytes: 5 Chinese characters (15 bytes) fit a top button, 6 do not; 16 ASCII fit', () => {
    expect(issues({ buttons: [{ name: '自助服务中', type: 'click', key: 'K' }] })).toEqual([]);
    expect(issues({ buttons: [{ name: '自助服务中心', type: 'click', key: 'K' }] })).toEqual(['buttons.0.name: 一级菜单名称最多 16 个字节（4 个汉字）']);
    expect(issues({ buttons: [{ name: 'A'.repeat(16), type: 'click', key: 'K' }] })).toEqual([]);
    expect(issues({ buttons: [{ name: '服务', subButtons: [{ name: '修'.repeat(21), type: 'click', key: 'K' }] }] })).toEqual([
      'buttons.0.subButtons.0.name: 子菜单名称最多 60 个字节（约 20 个汉字）',
    ]);
  });

  it('needs each action complete, and ignores a parent button’s own action', () => {
    expect(issues({ buttons: [{ name: '报修', type: 'miniprogram', url: 'https://x.cn', appid: 'wx1' }] })).toEqual(['buttons.0.pagepath: 菜单“报修”请填写小程序页面路径']);
    expect(issues({ buttons: [{ name: '服务', type: 'click', subButtons: [{ name: '官网', type: 'view', url: 'https://x.cn' }] }] })).toEqual([]);
    expect(issues({ buttons: [] })).toEqual(['buttons: 请至少添加一个菜单']);
  });

  it("converts to WeChat's menu/create body", () => {
    const menu = menuSchema.parse({
      buttons: [
        { name: '服务', subButtons: [{ name: '小程序', type: 'miniprogram', url: 'https://x.cn', appid: 'wx1', pagepath: 'pages/index/index' }] },
        { name: '热线', type: 'click', key: 'HOTLINE' },
      ],
    });
    expect(toWeChatMenu(menu)).toEqual({
      button: [
        { name: '服务', sub_button: [{ type: 'miniprogram', name: '小程序', url: 'https://x.cn', appid: 'wx1', pagepath: 'pages/index/index' }] },
        { type: 'click', name: '热线', key: 'HOTLINE' },
      ],
    });
  });
});

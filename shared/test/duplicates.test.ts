// 撞单分析: the same company, phone or person written the ways people write them is found; a
// near miss (another city's branch, another trade under the same name, one digit off) is not.
import {
  companyParts,
  companySimilarity,
  defaultDuplicateSettings,
  duplicateSettingsSchema,
  emailSimilarity,
  nameSimilarity,
  phoneKey,
  phoneSimilarity,
  scoreDuplicate,
  type DuplicateRule,
} from '@qiao/shared';
import { describe, expect, it } from 'vitest';

const THRESHOLD = 0.85;

describe('company names', () => {
  it.each([
    ['杭州蓝鲸科技有限公司', '蓝鲸科技（杭州）有限公司'],
    ['杭州蓝鲸科技有限公司', '蓝鲸科技'],
    ['蓝鲸科技（杭州）有限公司', '蓝鲸科技'],
    ['浙江省杭州市蓝鲸科技有限公司', '杭州蓝鲸科技有限公司'],
    ['蓝鲸科技有限公司', '蓝鲸科技股份有限公司'],
    ['蓝鲸科技有限责任公司', '蓝鲸科技有限公司'],
    ['蓝鲸 科技 有限公司', '蓝鲸科技有限公司'],
    ['蓝鲸科技(杭州)有限公司', '蓝鲸科技（杭州）有限公司'],
    ['杭州蓝鲸智能科技有限公司', '蓝鲸科技'],
    ['宁波海天机械设备有限公司', '海天机械（宁波）有限公司'],
    ['上海市东方明珠实业集团有限公司', '东方明珠实业'],
    ['Blue Whale Tech Co., Ltd.', 'blue whale tech co ltd'],
    ['ＡＢＣ电子有限公司', 'abc电子'],
  ])('%s ≈ %s', (a, b) => {
    expect(companySimilarity(a, b)).toBeGreaterThanOrEqual(THRESHOLD);
    expect(companySimilarity(b, a)).toBe(companySimilarity(a, b));
  });

  it.each([
    ['宁波蓝鲸科技有限公司', '杭州蓝鲸科技有限公司', 'another city: another legal entity'],
    ['蓝鲸贸易有限公司', '蓝鲸科技有限公司', 'another trade under the same name'],
    ['蓝海科技有限公司', '蓝鲸科技有限公司', 'another trade name'],
    ['杭州蓝鲸鱼科技有限公司', '蓝鲸科技', 'a longer trade name'],
    ['华为终端有限公司', '华为技术有限公司', 'a subsidiary with its own name'],
    ['杭州科技有限公司', '宁波科技有限公司', 'nothing but place and trade'],
    ['有限公司', '有限公司', 'nothing at all'],
  ])('%s ≠ %s (%s)', (a, b) => {
    expect(companySimilarity(a, b)).toBeLessThan(THRESHOLD);
  });

  it('takes a name apart into place, trade name and industry', () => {
    expect(companyParts('蓝鲸科技（杭州）有限公司')).toEqual({ core: '蓝鲸', industry: ['科技'], place: '杭州' });
    expect(companyParts('浙江省杭州市蓝鲸智能科技股份有限公司')).toEqual({ core: '蓝鲸', industry: ['智能', '科技'], place: '杭州' });
    expect(companyParts('蓝鲸')).toEqual({ core: '蓝鲸', industry: [], place: '' });
  });
});

describe('phones', () => {
  it.each([
    ['+86 138-0013-8000', '13800138000'],
    ['0086 13800138000', '138 0013 8000'],
    ['86-138-0013-8000', '13800138000'],
    ['0571-88886666', '88886666'],
    ['(0571) 8888 6666', '0571-88886666'],
  ])('%s = %s', (a, b) => {
    expect(phoneSimilarity(a, b)).toBe(1);
  });

  it.each([
    ['13800138000', '13800138001', 'one digit off'],
    ['8000', '13800138000', 'too short to identify anyone'],
    ['0571-88886666', '0574-88886666', 'another area code'],
    ['', '13800138000', 'empty'],
  ])('%s ≠ %s (%s)', (a, b) => {
    expect(phoneSimilarity(a, b)).toBe(0);
  });

  it('keys a number as its digits without the country code', () => {
    expect(phoneKey('+86 138-0013-8000')).toBe('13800138000');
    expect(phoneKey('0571-8888 6666')).toBe('057188886666');
  });
});

describe('names and emails', () => {
  it('matches a name written with spaces or full-width letters, not a name one character off', () => {
    expect(nameSimilarity('张 伟', '张伟')).toBe(1);
    expect(nameSimilarity('Ｌｉ Ｌｅｉ', 'li lei')).toBe(1);
    expect(nameSimilarity('张伟', '张玮')).toBeLessThan(THRESHOLD);
    expect(nameSimilarity('张伟', '')).toBe(0);
  });

  it('matches emails regardless of case and spaces only', () => {
    expect(emailSimilarity(' Sales@LanJing.com ', 'sales@lanjing.com')).toBe(1);
    expect(emailSimilarity('sales@lanjing.com', 'sale@lanjing.com')).toBe(0);
  });
});

describe('scoreDuplicate under the configured rules', () => {
  const lead = { company: '杭州蓝鲸科技有限公司', phone: '+86 138-0013-8000', name: '王芳', email: '' };

  it('conflicts when any rule matches and says which', () => {
    const result = scoreDuplicate(lead, { company: '蓝鲸科技', phone: '13900000000', name: '李强' }, defaultDuplicateSettings.rules);
    expect(result.matches.map((match) => match.field)).toEqual(['company']);
    expect(result.score).toBe(1);
    const byPhone = scoreDuplicate(lead, { company: '宁波海天', phone: '13800138000' }, defaultDuplicateSettings.rules);
    expect(byPhone.matches).toEqual([{ field: 'phone', score: 1 }]);
  });

  it('only the configured fields take part', () => {
    const phoneOnly: DuplicateRule[] = [{ field: 'phone', mode: 'exact', threshold: 1 }];
    expect(scoreDuplicate(lead, { company: '蓝鲸科技', phone: '13900000000' }, phoneOnly)).toEqual({ score: 0, matches: [] });
  });

  it('an exact company rule needs the same name once normalised; a lower threshold lets near names through', () => {
    const exact: DuplicateRule[] = [{ field: 'company', mode: 'exact', threshold: 1 }];
    expect(scoreDuplicate(lead, { company: '蓝鲸科技（杭州）有限公司' }, exact).matches).toHaveLength(1);
    expect(scoreDuplicate(lead, { company: '蓝鲸贸易有限公司' }, exact).matches).toHaveLength(0);
    const loose: DuplicateRule[] = [{ field: 'company', mode: 'similar', threshold: 0.6 }];
    expect(scoreDuplicate(lead, { company: '蓝鲸贸易有限公司' }, loose).score).toBe(0.7);
  });

  it('empty fields never match', () => {
    expect(scoreDuplicate({ company: '' }, { company: '' }, defaultDuplicateSettings.rules).matches).toEqual([]);
  });

  it('settings are validated in Chinese', () => {
    const result = duplicateSettingsSchema.safeParse({ rules: [], showFields: ['company'], allowSave: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('至少选择一个参与撞单的字段');
    const twice = duplicateSettingsSchema.safeParse({
      rules: [{ field: 'phone', mode: 'exact' }, { field: 'phone', mode: 'similar', threshold: 0.9 }],
      showFields: ['company'],
      allowSave: true,
    });
    expect(twice.error?.issues[0]?.message).toBe('每个字段只能设置一次');
  });
});

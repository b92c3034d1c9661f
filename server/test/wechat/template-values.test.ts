// Template values are cleaned before sending: emoji and line breaks removed, each type within its
// WeChat limit — checked against the sandbox's own keyword rules (what WeChat refuses with 47003).
import { describe, expect, it } from 'vitest';
import {
  amount,
  characterString,
  cleanText,
  date,
  name,
  number,
  phoneNumber,
  phrase,
  thing,
  time,
} from '../../src/modules/notifications/template-values.js';
import { valueFits } from '../../src/wechat/sandbox/index.js';

const REAL_TEXTS = [
  '空调不制冷，外机有异响，室内机滴水，麻烦师傅尽快上门看看🙏🙏',
  '洗衣机E4报错👨‍🔧\n已断电重启，仍然不行',
  'Haier 海尔 BCD-470WDPG 冰箱 🇨🇳 制冷异常',
  '热水器\t点不着火  ，  燃气正常👍🏽',
  '1️⃣号楼3单元502室 张女士',
  '上海市浦东新区张江高科技园区碧波路690号（请提前电话联系）',
  '\u200b\u200e零宽字符测试\u2028换行',
  'Łódź café — naïve résumé 😀',
];

describe('cleanText', () => {
  it('removes emoji sequences whole and turns line breaks into one space', () => {
    expect(cleanText('洗衣机E4报错👨‍🔧\n已断电重启')).toBe('洗衣机E4报错 已断电重启');
    expect(cleanText('1️⃣号楼 👍🏽 好评 🇨🇳')).toBe('1号楼 好评');
    expect(cleanText('  热水器\t点不着火\r\n\r\n燃气正常  ')).toBe('热水器 点不着火 燃气正常');
    expect(cleanText('\u200b零宽\u200d字符\u2028换行')).toBe('零宽字符 换行');
    expect(cleanText('型号：KFR-35GW/(35592)FNhAa-B1')).toBe('型号：KFR-35GW/(35592)FNhAa-B1');
  });
});

describe('per keyword type', () => {
  it('thing: ≤ 20 characters with an ellipsis, never empty', () => {
    expect(thing(REAL_TEXTS[0]!)).toBe('空调不制冷，外机有异响，室内机滴水，麻…');
    expect([...thing(REAL_TEXTS[0]!)]).toHaveLength(20);
    expect(thing('🙏🙏🙏')).toBe('无');
    expect(thing('Haier 海尔 冰箱 🇨🇳')).toBe('Haier 海尔 冰箱');
  });

  it('phrase: ≤ 5 Chinese characters only, no ellipsis (it is not Chinese)', () => {
    expect(phrase('已派单')).toBe('已派单');
    expect(phrase('已完成，欢迎评价')).toBe('已完成欢迎');
    expect(phrase('OK✅')).toBe('无');
  });

  it('character_string: ≤ 32 printable ASCII, cut without a non-ASCII ellipsis', () => {
    expect(characterString('FW-20261122-001')).toBe('FW-20261122-001');
    expect(characterString('序列号 SN 2024 000123📦')).toBe('SN2024000123');
    expect(characterString('A'.repeat(40))).toBe('A'.repeat(32));
    expect(characterString('无编号')).toBe('-');
  });

  it('phone_number, number, name, amount', () => {
    expect(phoneNumber('+86 138-0013-8000（微信同号）')).toBe('+86138-0013-8000');
    expect(phoneNumber('021 5555 0101 转 8888 分机')).toBe('021555501018888');
    expect(number('共 3 台')).toBe('3');
    expect(number(12.5)).toBe('12.5');
    expect(name('欧阳娜娜')).toBe('欧阳娜娜');
    expect(name('爱新觉罗·溥仪的远房表哥的儿子')).toBe('爱新觉罗·溥仪的远房表哥的儿子'.slice(0, 20));
    expect(name('王小明同学的哥哥的好朋友们')).toBe('王小明同学的哥哥的好');
    expect(amount(199)).toBe('199.00元');
    expect(amount(12_345_678_901)).toBe('9999999999.99元');
  });

  it('time and date in China time', () => {
    expect(time(new Date('2026-11-22T06:30:00Z'))).toBe('2026-11-22 14:30');
    expect(date(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01');
  });
});

describe('what WeChat accepts', () => {
  const cleaners: [string, (text: string) => string][] = [
    ['thing', thing],
    ['phrase', phrase],
    ['character_string', characterString],
    ['phone_number', phoneNumber],
    ['number', number],
    ['name', name],
  ];

  it.each(cleaners)('every cleaned %s value passes the sandbox rule of its type', (type, clean) => {
    const inputs = [...REAL_TEXTS, '', '🙂', '\n\n', 'x'.repeat(100), '一二三四五六七八九十一二三四五六七八九十一二三'];
    for (const input of inputs) {
      const value = clean(input);
      expect(valueFits(type, value), `${type}(${JSON.stringify(input)}) = ${JSON.stringify(value)}`).toBe(true);
    }
  });

  it('the raw texts would be refused', () => {
    expect(REAL_TEXTS.filter((text) => valueFits('thing', text))).toEqual([]);
    expect(valueFits('amount', amount(199))).toBe(true);
    expect(valueFits('time', time(new Date()))).toBe(true);
    expect(valueFits('time', date(new Date()))).toBe(true);
  });
});

// The keys that find duplicate candidates without a scan: every pair the scoring matches shares a
// looked-up key (else a real 撞单 would go unseen), and near-misses that an exact rule refuses to
// match share none (so they are not even read). Masking of contact details.
import {
  duplicateFields,
  duplicateKeys,
  duplicateLookupKeys,
  maskEmail,
  maskPhone,
  scoreDuplicate,
  type DuplicateCandidate,
  type DuplicateField,
  type DuplicateRule,
} from '@qiao/shared';
import { describe, expect, it } from 'vitest';

const similar = (field: DuplicateField, threshold = 0.5): DuplicateRule[] => [{ field, mode: 'similar', threshold }];
const exact = (field: DuplicateField): DuplicateRule[] => [{ field, mode: 'exact', threshold: 1 }];
const shares = (candidate: DuplicateCandidate, stored: DuplicateCandidate, rules: DuplicateRule[]) => {
  const storedKeys = new Set(duplicateKeys(stored));
  return duplicateLookupKeys(candidate, rules).some((key) => storedKeys.has(key));
};

describe('keys', () => {
  it('are the normalised whole values and bigrams of names and company cores', () => {
    expect(duplicateKeys({ company: '蓝鲸科技（杭州）有限公司', name: '张 三', phone: '+86 138-0013-8000', email: ' Zhang@X.com ' }).sort()).toEqual(
      ['c2:蓝鲸', 'c:蓝鲸', 'e:zhang@x.com', 'n2:张三', 'n:张三', 'p:13800138000'].sort(),
    );
    // A landline carries its number without the area code too (0571-88886666 is 88886666).
    expect(duplicateKeys({ phone: '0571-8888 6666' })).toEqual(['p:057188886666', 'p:188886666', 'p:88886666']);
    // Nothing that identifies anyone: no keys.
    expect(duplicateKeys({ company: '有限公司', phone: '12345', email: '', name: '' })).toEqual([]);
  });

  it('exact rules look up whole values only', () => {
    expect(duplicateLookupKeys({ company: '杭州蓝鲸湾科技有限公司', name: '张三丰' }, [...exact('company'), ...exact('name')])).toEqual(['c:蓝鲸湾', 'n:张三丰']);
    expect(duplicateLookupKeys({ company: '蓝鲸湾' }, similar('company'))).toEqual(['c:蓝鲸湾', 'c2:蓝鲸', 'c2:鲸湾']);
    expect(duplicateLookupKeys({ company: '蓝鲸' }, similar('phone'))).toEqual([]);
  });

  // Pairs the scoring matches (at its lowest threshold for similar rules): each must share a key.
  const MATCHING: Array<[DuplicateField, string, string]> = [
    ['company', '杭州蓝鲸科技有限公司', '蓝鲸科技（杭州）有限公司'],
    ['company', '杭州蓝鲸科技有限公司', '蓝鲸科技'],
    ['company', '浙江省杭州市蓝鲸科技有限公司', '蓝鲸智能科技'],
    ['company', '宁波海天机械设备有限公司', '海天机械（宁波）有限公司'],
    ['company', '蓝鲸科技', '蓝鲸湾科技'],
    ['company', '阿里巴巴网络技术有限公司', '阿里巴巴（中国）网络技术有限公司'],
    ['company', '华为技术有限公司', '华为终端有限公司'],
    ['phone', '+86 138-0013-8000', '13800138000'],
    ['phone', '0086 138 0013 8000', '138-0013-8000'],
    ['phone', '0571-88886666', '88886666'],
    ['phone', '88886666', '(0571) 8888 6666'],
    ['phone', '010-66668888', '66668888'],
    ['name', '张三', '张 三'],
    ['name', '欧阳娜娜', '欧阳娜'],
    ['name', 'Li Lei', 'lilei'],
    ['email', 'Zhang@X.com', 'zhang@x.com '],
  ];
  it.each(MATCHING)('%s: %s ~ %s share a key whenever the score matches', (field, a, b) => {
    for (const rules of [similar(field), exact(field)]) {
      const matched = scoreDuplicate({ [field]: a }, { [field]: b }, rules).matches.length > 0;
      if (matched) expect(shares({ [field]: a }, { [field]: b }, rules)).toBe(true);
    }
    expect(scoreDuplicate({ [field]: a }, { [field]: b }, similar(field)).matches.length).toBe(1);
  });

  // Near-misses an exact rule refuses: not even candidates under it.
  const NEAR_MISSES: Array<[DuplicateField, string, string]> = [
    ['phone', '13800138000', '13800138001'],
    ['phone', '13800138000', '13900138000'],
    ['phone', '0571-88886666', '0571-88886667'],
    ['email', 'zhang@x.com', 'zhang@y.com'],
    ['email', 'zhang@x.com', 'zhang1@x.com'],
    ['name', '张伟', '张玮'],
    ['name', '王芳', '王方'],
    ['company', '蓝鲸科技', '蓝海科技'],
    ['company', '杭州蓝鲸科技有限公司', '杭州白鲸科技有限公司'],
    ['company', '海天机械', '海大机械'],
  ];
  it.each(NEAR_MISSES)('%s: %s / %s — refused and no shared key under an exact rule', (field, a, b) => {
    expect(scoreDuplicate({ [field]: a }, { [field]: b }, exact(field)).matches).toEqual([]);
    expect(shares({ [field]: a }, { [field]: b }, exact(field))).toBe(false);
  });

  it('a random table: every pair matched under any rule shares a looked-up key', () => {
    const values: Record<DuplicateField, string[]> = {
      company: ['杭州蓝鲸科技有限公司', '蓝鲸科技', '蓝鲸湾', '宁波蓝鲸贸易', '白鲸科技', '鲸湾电子', '海天机械', '海天塑机集团', '天海机械'],
      phone: ['13800138000', '+8613800138000', '057188886666', '88886666', '02188886666', '13800138001'],
      name: ['张三', '张三丰', '三丰', '李四', '欧阳娜娜', '欧阳'],
      email: ['a@x.com', 'A@X.com', 'b@x.com'],
    };
    for (const field of duplicateFields) {
      for (const a of values[field]) {
        for (const b of values[field]) {
          for (const rules of [similar(field, 0.5), similar(field, 0.85), exact(field)]) {
            const matched = scoreDuplicate({ [field]: a }, { [field]: b }, rules).matches.length > 0;
            if (matched) expect(shares({ [field]: a }, { [field]: b }, rules), `${field} ${a} ~ ${b}`).toBe(true);
          }
        }
      }
    }
  });
});

describe('masking', () => {
  it.each([
    ['13800138000', '138****8000'],
    ['057188886666', '057*****6666'],
    ['88886666', '888****6666'],
    ['123', '****'],
    ['', ''],
  ])('phone %s → %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it.each([
    ['zhang@x.com', 'z***@x.com'],
    ['a@b.cn', 'a***@b.cn'],
    ['broken', '***'],
    ['', ''],
  ])('email %s → %s', (email, masked) => expect(maskEmail(email)).toBe(masked));
});

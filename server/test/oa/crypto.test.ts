// WeChat's published sample vectors for message encryption (token pamtest, appid wxb11529c136998cb6).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MessageCrypto, DecryptError } from '../../src/wechat/oa/crypto.js';

const sample = {
  token: 'pamtest',
  aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appid: 'wxb11529c136998cb6',
};
const crypto = new MessageCrypto(sample.token, sample.aesKey, sample.appid);

describe('MessageCrypto', () => {
  it('decrypts WeChat\'s published ciphertext of a short Chinese message', () => {
    const result = crypto.decrypt('jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
    expect(result).toEqual({ message: '我是中文abcd123', id: sample.appid });
  });

  it('decrypts WeChat\'s published ciphertext of a video message', () => {
    const encrypted =
      'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb';
    const { message, id } = crypto.decrypt(encrypted);
    expect(id).toBe(sample.appid);
    expect(message).toContain('<ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName>');
    expect(message).toContain('<Title><![CDATA[testCallBackReplyVideo]]></Title>');
  });

  it('round-trips its own encryption and rejects tampered or truncated ciphertext', () => {
    const encrypted = crypto.encrypt('<xml><Content><![CDATA[你好]]></Content></xml>');
    expect(crypto.decrypt(encrypted).message).toBe('<xml><Content><![CDATA[你好]]></Content></xml>');
    expect(() => crypto.decrypt(encrypted.slice(0, 20))).toThrow(DecryptError);
    expect(() => crypto.decrypt('not base64 at all!')).toThrow(DecryptError);
  });

  it('signs with sha1 over the sorted token, timestamp, nonce and ciphertext', () => {
    // sorted: '1409304348' < 'abc' < 'pamtest' < 'xxxxxx'
    const expected = createHash('sha1').update('1409304348abcpamtestxxxxxx').digest('hex');
    expect(crypto.getSignature('1409304348', 'xxxxxx', 'abc')).toBe(expected);
  });
});

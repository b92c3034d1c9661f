// Sending SMS (verification codes). An interface, so the rules never know the provider.
//
// Providers:
// - the WeChat sandbox's SMS inbox (QIAO_SMS_PROVIDER=sandbox; the default with the WeChat sandbox
//   on, and what the tests choose): the message is POSTed to `${WECHAT_API_BASE}/sms` and can be read at `GET /sandbox/sms?phone=`;
// - no provider (production without the sandbox): sending answers 503 SMS_UNAVAILABLE.
//   A real SMS provider (e.g. Aliyun / Tencent Cloud SMS) is future work: implement SmsSender and
//   choose it in createSmsSender().
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';

export interface SmsSender {
  /** Deliver `text` to the mobile number `phone`; throws an AppError when it cannot. */
  send(phone: string, text: string): Promise<void>;
}

const smsUnavailable = () => new AppError(503, 'SMS_UNAVAILABLE', '短信服务暂不可用，请稍后再试或联系客服');

/** Writes to the SMS inbox of the WeChat sandbox at `apiBase` (mounted in this server or standalone). */
export function sandboxSmsSender(apiBase: string, timeoutMs = 5_000): SmsSender {
  return {
    async send(phone, text) {
      let response: Response;
      try {
        response = await fetch(`${apiBase.replace(/\/$/, '')}/sms`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phone, text }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch {
        throw smsUnavailable();
      }
      if (!response.ok) throw smsUnavailable();
    },
  };
}

/** No provider configured: every send fails with 503 SMS_UNAVAILABLE. */
export const unavailableSmsSender: SmsSender = {
  async send() {
    throw smsUnavailable();
  },
};

/** The provider chosen by QIAO_SMS_PROVIDER (the sandbox inbox by default when the WeChat sandbox is on). */
export function createSmsSender(config: Config, apiBase: string): SmsSender {
  return config.sms === 'sandbox' ? sandboxSmsSender(apiBase) : unavailableSmsSender;
}

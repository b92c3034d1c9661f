// Official Account basics: the templates added to the account (WeChat: "获取模板列表") and the
// addresses WeChat's callbacks come from (WeChat: "获取微信服务器IP地址").
import type { WeChatCore } from './client.js';

export interface PrivateTemplate {
  template_id: string;
  title: string;
  primary_industry?: string;
  deputy_industry?: string;
  /** e.g. `character_string1：{{character_string1.DATA}}` one keyword a line. */
  content: string;
  example?: string;
}

export function accountApi(core: WeChatCore) {
  return {
    async getAllPrivateTemplates(): Promise<PrivateTemplate[]> {
      const answer = await core.request<{ template_list?: PrivateTemplate[] }>({ path: '/cgi-bin/template/get_all_private_template' });
      return answer.template_list ?? [];
    },

    async getCallbackIps(): Promise<string[]> {
      const answer = await core.request<{ ip_list?: string[] }>({ path: '/cgi-bin/getcallbackip' });
      return answer.ip_list ?? [];
    },
  };
}

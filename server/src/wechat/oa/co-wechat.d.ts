declare module 'co-wechat' {
  import type { Context, Middleware } from 'koa';

  export type WeChatMessage = Record<string, string>;
  export type NewsItem = { title: string; description?: string; picurl?: string; url?: string };
  /** '' = no reply; a string = text; an array = news; `{type, content}` = other message types. */
  export type WeChatReply = string | NewsItem[] | { type: string; content: unknown };

  interface WeChatConfig {
    token: string;
    appid?: string;
    encodingAESKey?: string;
  }

  interface WeChat {
    middleware(handle: (message: WeChatMessage, ctx: Context) => Promise<WeChatReply>): Middleware;
  }

  export default function wechat(config: WeChatConfig | string, isDebug?: boolean): WeChat;
}

// The part of co-wechat-api (no types of its own) the independent-client test drives.
declare module 'co-wechat-api' {
  type Json = Record<string, any>;
  export default class WeChatAPI {
    constructor(appid: string, appsecret: string);
    prefix: string;
    snsPrefix: string;
    mpPrefix: string;
    fileServerPrefix: string;
    customservicePrefix: string;
    wxaPrefix: string;
    getUser(options: string | { openid: string; lang?: string }): Promise<Json>;
    batchGetUsers(openids: string[], lang?: string): Promise<Json>;
    getFollowers(nextOpenid?: string): Promise<Json>;
    sendTemplate(openid: string, templateId: string, url: string | undefined, topColor: string | undefined, data: Json, miniprogram?: Json): Promise<Json>;
    sendSubscribeMessage(openid: string, templateId: string, page: string, data: Json): Promise<Json>;
    sendText(openid: string, text: string): Promise<Json>;
    sendNews(openid: string, articles: Json[]): Promise<Json>;
    createTags(name: string): Promise<Json>;
    getTags(): Promise<Json>;
    updateTag(id: number, name: string): Promise<Json>;
    deleteTag(id: number): Promise<Json>;
    batchTagging(openids: string[], tagId: number): Promise<Json>;
    batchUnTagging(openids: string[], tagId: number): Promise<Json>;
    getUsersFromTag(tagId: number, nextOpenid?: string): Promise<Json>;
    getIdList(openid: string): Promise<Json>;
    massSendText(content: string, receivers: number | boolean | string[], clientMsgId?: string): Promise<Json>;
    previewText(openid: string, content: string): Promise<Json>;
    createMenu(menu: Json): Promise<Json>;
    getMenu(): Promise<Json>;
    removeMenu(): Promise<Json>;
    createTmpQRCode(sceneId: number | string, expire: number): Promise<Json>;
    createLimitQRCode(sceneId: number | string): Promise<Json>;
    getTicket(type?: string): Promise<{ ticket: string; expireTime: number }>;
    code2Session(jsCode: string): Promise<Json>;
    getIp(): Promise<Json>;
    getAllPrivateTemplate(): Promise<Json>;
  }
}

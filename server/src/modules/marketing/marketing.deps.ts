// What the marketing module needs from outside: the job queue, the Official Account client (only
// the calls campaigns make), stored files, and the configuration of distribution.
import type { JobQueue } from '../../jobs/runner.js';
import type { Logger } from '../../logger.js';
import type { CustomMessage, MassMessage, MassSendOptions, MassSendResult, WeChatTag } from '../../wechat/api/index.js';
import type { FilesDeps } from '../files/upload.service.js';
import type { DraftClient } from './wechat-sync.js';

export interface MarketingWeChat extends DraftClient {
  sendCustomMessage(message: CustomMessage): Promise<void>;
  massSendToTag(tagId: number | 'all', message: MassMessage, options?: MassSendOptions): Promise<MassSendResult>;
  massPreview(openid: string, message: MassMessage): Promise<{ msg_id: string }>;
  createTag(name: string): Promise<WeChatTag>;
  deleteTag(id: number): Promise<void>;
  getTags(): Promise<Array<WeChatTag & { count: number }>>;
  tagUsers(tagid: number, openids: readonly string[]): Promise<void>;
}

export interface MarketingDeps {
  jobs: JobQueue;
  wechat: MarketingWeChat;
  files: FilesDeps;
  /** Absolute base of links sent to WeChat users. */
  publicBaseUrl: string;
  /** Messages (recipients) per second. */
  sendRate: number;
  /** Campaigns per contact in 30 days; 0 = no cap. */
  frequencyCap: number;
  /** How long a campaign paused by WeChat's API quota (45009) waits before it resumes. */
  quotaPauseMs: number;
  logger?: Logger;
}

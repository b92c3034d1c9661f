// Where the access token lives. WeChat gives one valid token per app at a time (a new grant
// retires the old one within 5 minutes), so every process must share it: MongoDB, keyed by appid.
import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

export interface StoredToken {
  token: string;
  expiresAt: Date;
}

export interface TokenStore {
  get(appid: string): Promise<StoredToken | null>;
  save(appid: string, token: string, expiresAt: Date): Promise<void>;
}

// _id is the appid: every read and write is a `{_id}` filter, the one FerretDB serves without a scan.
const accessTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: false, updatedAt: true }, versionKey: false },
);

export type WeChatAccessTokenDoc = InferSchemaType<typeof accessTokenSchema>;

export const WeChatAccessToken: Model<WeChatAccessTokenDoc> =
  (mongoose.models.WeChatAccessToken as Model<WeChatAccessTokenDoc> | undefined) ??
  mongoose.model<WeChatAccessTokenDoc>('WeChatAccessToken', accessTokenSchema, 'wechat_access_tokens');

export function createMongoTokenStore(): TokenStore {
  return {
    async get(appid) {
      const doc = await WeChatAccessToken.findById(appid).lean<WeChatAccessTokenDoc>();
      return doc ? { token: doc.token, expiresAt: new Date(doc.expiresAt) } : null;
    },
    async save(appid, token, expiresAt) {
      await WeChatAccessToken.updateOne({ _id: appid }, { $set: { token, expiresAt } }, { upsert: true });
    },
  };
}

/** For one-process tools and unit tests only: a token in memory breaks as soon as two processes run. */
export function createMemoryTokenStore(): TokenStore {
  const tokens = new Map<string, StoredToken>();
  return {
    async get(appid) {
      const stored = tokens.get(appid);
      return stored ? { ...stored } : null;
    },
    async save(appid, token, expiresAt) {
      tokens.set(appid, { token, expiresAt });
    },
  };
}

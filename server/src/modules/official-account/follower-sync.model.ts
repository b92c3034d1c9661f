import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Progress of the follower sync, one document per Official Account (_id = appid). `nextOpenid` is
 * where user/get continues after a crash or a failed attempt ('' = from the start).
 */
const followerSyncSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: String, enum: ['queued', 'running', 'done', 'failed'], required: true },
    nextOpenid: { type: String, default: '' },
    total: { type: Number, default: 0 },
    fetched: { type: Number, default: 0 },
    created: { type: Number, default: 0 },
    linked: { type: Number, default: 0 },
    updated: { type: Number, default: 0 },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    lastErrorAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);

export type FollowerSyncDoc = InferSchemaType<typeof followerSyncSchema> & { _id: string };
export const FollowerSync = mongoose.model('FollowerSync', followerSyncSchema, 'oa_follower_sync');

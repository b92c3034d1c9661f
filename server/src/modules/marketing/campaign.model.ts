import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** 营销方案: a material sent to a segment through one or more channels. */
const campaignSchema = new Schema(
  {
    name: { type: String, required: true },
    materialId: { type: String, required: true },
    segmentId: { type: String, required: true },
    channels: { type: [String], default: [] },
    scheduledAt: { type: Date, default: null },
    intentForm: {
      enabled: { type: Boolean, default: false },
      products: { type: [String], default: [] },
    },
    status: { type: String, enum: ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'], default: 'draft' },
    /** Set when the system paused it (WeChat's API quota); '' when a person did. */
    pauseReason: { type: String, default: '' },
    /** A system pause is resumed by the sweep after this time. */
    resumeAt: { type: Date, default: null },
    /** The material version the campaign was started with (what recipients get and the landing shows). */
    materialVersion: { type: Number, default: null },
    /** Recipients (contacts) when it started. */
    targeted: { type: Number, default: 0 },
    /** Mass send: the WeChat tag its recipients were put on, and the send's msg_id once made. */
    mass: {
      tagId: { type: Number, default: null },
      /** Set when the one mass/sendall went out: every `mass-queued` record is then delivered. */
      msgId: { type: String, default: null },
      sentAt: { type: Date, default: null },
      /** The send failed for good (e.g. WeChat refused the article): its queued records failed. */
      error: { type: String, default: null },
      /** The tag was deleted from WeChat (an account has at most 100 tags): a day after the campaign finished. */
      tagRemovedAt: { type: Date, default: null },
    },
    /** Written by the distribution run between batches: a stale one means the run died (the sweep re-queues it). */
    heartbeatAt: { type: Date, default: null },
    createdBy: { type: String, required: true },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
campaignSchema.index({ deletedAt: 1, createdAt: -1 });
// The sweep: scheduled campaigns due, running ones to re-queue, system pauses to resume.
campaignSchema.index({ status: 1, scheduledAt: 1 });
// The hourly removal of finished campaigns' WeChat tags.
campaignSchema.index({ finishedAt: 1 });

export type CampaignDoc = InferSchemaType<typeof campaignSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
export const Campaign = mongoose.model('Campaign', campaignSchema, 'campaigns');

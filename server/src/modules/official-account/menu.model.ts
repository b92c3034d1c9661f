import mongoose, { Schema } from 'mongoose';

/** The Official Account's custom menu: one document (`_id: 'menu'`), the draft and what was published. */
const menuSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Menu as edited in the console (@qiao/shared Menu). */
    draft: { type: Schema.Types.Mixed, default: null },
    /** Menu WeChat accepted through menu/create. */
    published: { type: Schema.Types.Mixed, default: null },
    publishedAt: { type: Date, default: null },
    publishedBy: { type: String, default: null },
  },
  { versionKey: false, minimize: false, timestamps: { createdAt: false, updatedAt: true } },
);

export interface OaMenuDoc {
  _id: string;
  draft: unknown;
  published: unknown;
  publishedAt: Date | null;
  publishedBy: string | null;
}
export const OaMenu = mongoose.model('OaMenu', menuSchema, 'oa_menu');

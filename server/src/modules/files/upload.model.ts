import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * An uploaded image. The bytes live in `${dataDir}/uploads/<_id>`; this is the metadata. Until a
 * service request or visit claims it (`attachedTo`), only its uploader may attach it; unattached
 * uploads older than a day are removed by a job.
 */
const uploadSchema = new Schema(
  {
    uploader: {
      _id: false,
      kind: { type: String, enum: ['wechatUser', 'staff'], required: true },
      id: { type: String, required: true },
    },
    /** Detected from the bytes (image/jpeg or image/png), never taken from the request. */
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    attachedTo: {
      type: new Schema({ kind: { type: String, required: true }, id: { type: String, required: true } }, { _id: false }),
      default: null,
    },
    /** The uploader's quota slot it holds while unattached (`upload-slot:…:<n>` in once_claims). */
    slot: { type: Number, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

// The cleanup of uploads never attached (attachedTo null, older than a cutoff).
uploadSchema.index({ attachedTo: 1, createdAt: 1 });

export type UploadDoc = InferSchemaType<typeof uploadSchema> & { _id: mongoose.Types.ObjectId };
export const Upload = mongoose.model('Upload', uploadSchema, 'uploads');

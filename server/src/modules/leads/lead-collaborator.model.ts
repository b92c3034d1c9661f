import mongoose, { Schema } from 'mongoose';

/**
 * One document per (lead, collaborator) — `_id` `<leadId>:<staffId>` — so "the leads shared with
 * me" is an indexed equality on `staffId`; the lead's `collaboratorIds` array (which no index on the
 * embedded database serves) stays the record's own copy.
 */
const leadCollaboratorSchema = new Schema(
  {
    _id: { type: String, required: true },
    leadId: { type: String, required: true },
    staffId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
leadCollaboratorSchema.index({ staffId: 1 });
leadCollaboratorSchema.index({ leadId: 1 });

export const leadCollaboratorId = (leadId: string, staffId: string) => `${leadId}:${staffId}`;
export const LeadCollaborator = mongoose.model('LeadCollaborator', leadCollaboratorSchema, 'lead_collaborators');

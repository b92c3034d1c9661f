import mongoose, { Schema } from 'mongoose';

/**
 * Who collaborates on which customer (协作), one document per pair, mirroring the customer's
 * `collaboratorIds`: "customers shared with me" is an indexed equality here, where the array field
 * on customers could only be scanned (FerretDB pushes no condition on an array field down).
 */
const customerCollaboratorSchema = new Schema(
  {
    /** `<staffId>:<customerId>`: writing a pair twice keeps one. */
    _id: { type: String, required: true },
    staffId: { type: String, required: true },
    customerId: { type: String, required: true },
  },
  { versionKey: false },
);
customerCollaboratorSchema.index({ staffId: 1 });
customerCollaboratorSchema.index({ customerId: 1 });

export const CustomerCollaborator = mongoose.model('CustomerCollaborator', customerCollaboratorSchema, 'customer_collaborators');

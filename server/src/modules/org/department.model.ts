import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** 部门: a node of the department tree. Staff and customers hold its id (as a string) in `department`. */
const departmentSchema = new Schema(
  {
    name: { type: String, required: true },
    /** The parent department's id; null at the top level. */
    parentId: { type: String, default: null },
    /** Position among siblings, smaller first. */
    order: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);

export type DepartmentDoc = InferSchemaType<typeof departmentSchema> & { _id: mongoose.Types.ObjectId };
export const DepartmentModel = mongoose.model('Department', departmentSchema, 'departments');

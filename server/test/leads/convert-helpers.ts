// Leads as the conversion, closing and opportunity tests need them: made through the model (the
// leads API of the same issue is built beside these), owned by a salesperson, with a campaign and
// its share path when asked.
import mongoose from 'mongoose';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { uniquePhone } from '../helpers/factories.js';

export interface LeadFields {
  ownerId?: string | null;
  collaboratorIds?: string[];
  department?: string;
  status?: 'new' | 'assigned' | 'following' | 'converted' | 'closed';
  company?: string;
  name?: string;
  phone?: string;
  campaign?: boolean;
}

export async function makeLead(fields: LeadFields = {}): Promise<string> {
  const campaignId = new mongoose.Types.ObjectId().toHexString();
  const ownerId = fields.ownerId === undefined ? null : fields.ownerId;
  const lead = await Lead.create({
    company: fields.company ?? '杭州蓝鲸科技有限公司',
    name: fields.name ?? '周先生',
    phone: fields.phone ?? uniquePhone(),
    source: fields.campaign ? 'campaign' : 'manual',
    status: fields.status ?? (ownerId ? 'assigned' : 'new'),
    ownerId,
    collaboratorIds: fields.collaboratorIds ?? [],
    department: fields.department ?? '',
    ...(fields.campaign
      ? {
          campaignId,
          campaignName: '新品空调 限时焕新',
          shareToken: 'tok-lead-0003',
          sharePath: [
            { token: 'tok-root-0001', kind: 'staff', ownerId: new mongoose.Types.ObjectId().toHexString(), name: '王市场' },
            { token: 'tok-mid-00002', kind: 'contact', ownerId: new mongoose.Types.ObjectId().toHexString(), name: '李客户' },
            { token: 'tok-lead-0003', kind: 'visitor', ownerId: 'visitor-1', name: '周先生' },
          ],
        }
      : {}),
  });
  return String(lead._id);
}

/** A conversion body: a new customer, its contact and an opportunity of 12,345.67 元. */
export const newCustomerBody = (phone = uniquePhone(), extra: Record<string, unknown> = {}) => ({
  customer: { name: '杭州蓝鲸科技有限公司', region: '杭州', industry: '制造业' },
  contact: { name: '周先生', phone, title: '采购经理' },
  opportunity: { name: '中央空调改造', amount: 1_234_567, expectedCloseAt: '2026-12-31' },
  ...extra,
});

// Read-only counts of campaigns for the workbench (modules/workbench): flat equalities served by
// the {status, scheduledAt} index.
import type { CampaignStatus } from '@qiao/shared';
import { Campaign } from './campaign.model.js';

export const countCampaignsWithStatus = (status: CampaignStatus) => Campaign.countDocuments({ status, deletedAt: null });

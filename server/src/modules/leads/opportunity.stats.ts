// PENDING the opportunities model (S2): read-only opportunity figures for reports.
export interface OpportunityStats {
  id: string;
  leadId: string | null;
  ownerId: string;
  stage: string;
  amount: number;
  closedAt: Date | null;
}

export async function opportunitiesOfLeads(_leadIds: string[]): Promise<OpportunityStats[]> {
  return [];
}

export async function wonOpportunitiesBetween(_departments: string[] | null, _ownerId: string | null, _start: Date, _end: Date): Promise<OpportunityStats[]> {
  return [];
}

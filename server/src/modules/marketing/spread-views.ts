// Who opened a campaign's page is known to the spread module (`contactsWhoViewed` in
// ../spread/lookup.service.ts, written alongside). Until both are merged this stand-in answers
// "nobody": at merge, re-export the spread module's function here (one line).
export async function contactsWhoViewed(_campaignId: string): Promise<Set<string>> {
  return new Set();
}

// Who opened a campaign's page is known to the spread module: its lookup service answers it.
export { contactsWhoViewed } from '../spread/lookup.service.js';

import mongoose, { Schema } from 'mongoose';

/**
 * A web authorisation in progress. `_id` is the random `state` sent through WeChat; the browser that
 * started it holds a cookie whose hash is `browserHash`, so a state (or a whole callback URL) taken
 * to another browser is refused. Used once (an `oauth-state:` claim in once_claims), 10 minutes.
 */
const webAuthStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Path inside the H5 app to land on, checked to start with /h5/. */
    redirect: { type: String, required: true },
    browserHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export const WebAuthState = mongoose.model('WebAuthState', webAuthStateSchema, 'web_auth_states');

/**
 * The one-time ticket the callback hands the H5 app in the URL fragment: `_id` is its SHA-256 (the
 * ticket itself is never stored). Exchanged once for a customer session, within 2 minutes.
 */
const webAuthTicketSchema = new Schema(
  {
    _id: { type: String, required: true },
    wechatUserId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export const WebAuthTicket = mongoose.model('WebAuthTicket', webAuthTicketSchema, 'web_auth_tickets');

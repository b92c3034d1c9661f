// One error type for the whole server. Services throw AppError; the HTTP layer turns it into
// `{"error":{"code","message"}}` with its status. Anything else is a 500 with a generic message.
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string>,
    /** Sent as `error.data`: what the refusal concerns (e.g. the matches of a duplicate check). */
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, string>) =>
  new AppError(400, code, message, details);
export const unauthorized = (code: string, message: string) => new AppError(401, code, message);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string, data?: unknown) => new AppError(409, code, message, undefined, data);

/** 429 with the seconds after which trying again makes sense (sent as Retry-After). */
export class TooManyRequests extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, code, message);
  }
}

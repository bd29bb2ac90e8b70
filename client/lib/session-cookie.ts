/** Name of the httpOnly cookie holding the API session token (shared with the API). */
export const SESSION_COOKIE = 'lk_session';

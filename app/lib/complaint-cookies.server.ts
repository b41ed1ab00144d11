import { createCookie } from "react-router";
import { getEnv } from "./env.server";

const env = getEnv();

/**
 * Carries a just-filed complaint's reference and secret code from the post to the confirmation
 * page (post/redirect/get), signed, for ten minutes, sent only under /complaints.
 */
export const filedCookie = createCookie("filed", {
  // Not "/complaints/filed": the client-side data request goes to /complaints/filed.data.
  path: "/complaints",
  httpOnly: true,
  sameSite: "lax",
  secure: env.NODE_ENV === "production" && env.INSECURE_COOKIES !== "1",
  maxAge: 600,
  secrets: [env.SESSION_SECRET],
});

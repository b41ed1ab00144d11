// Response headers that every HTML page gets. The CSP is enforced (not report-only): scripts run
// only from our origin or with this response's nonce; nothing may frame the pages.
// Staff pages draw charts with recharts, which positions its SVG, legend and tooltip with style
// attributes: there (and only there) style attributes are allowed. Style elements and scripts stay
// locked down everywhere.
// The office's survey preview is the one page our own pages may frame.
export function securityHeaders(nonce: string, isProduction: boolean, opts: { styleAttributes?: boolean; frameableBySelf?: boolean } = {}): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${isProduction ? "" : " 'unsafe-inline'"}`,
    "style-src 'self'",
    ...(opts.styleAttributes ? ["style-src-attr 'unsafe-inline'"] : []),
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${isProduction ? "" : " ws:"}`,
    "form-action 'self'",
    opts.frameableBySelf ? "frame-ancestors 'self'" : "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": opts.frameableBySelf ? "SAMEORIGIN" : "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  };
}

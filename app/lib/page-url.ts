// A data request (/path.data?_routes=…, which the browser's scripts make on navigation, or
// /_.data for the home page) stands for the page /path. Where a sign-in sends the user back to,
// or which route a post is for, is decided on that page's URL, not on its data's.

/** The page path a request path stands for (itself unless it is a data request). */
export function pagePath(pathname: string): string {
  if (pathname === "/_.data") return "/";
  return pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
}

/** The page's path and query (without the data request's `_routes`). */
export function pageUrl(url: URL): string {
  const search = new URLSearchParams(url.search);
  search.delete("_routes");
  const query = search.toString();
  return pagePath(url.pathname) + (query ? `?${query}` : "");
}

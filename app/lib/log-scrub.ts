// Text from outside the platform (an SMTP server's or SMS provider's error) may quote the address
// or number a message was for. Before such text goes into the log, anything that looks like an
// e-mail address, a phone number or a query string is replaced, and the text is cut short.

const EMAIL = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+/g;
// Seven or more digits, possibly with a leading + and spaces, dashes or dots between them.
const PHONE = /\+?\d(?:[\s.-]?\d){6,}/g;
const QUERY = /\?\S*/g;

/** The text with e-mail addresses, phone numbers and query strings replaced, at most `max` characters. */
export function scrubLogText(text: string, max = 200): string {
  const scrubbed = text.replace(EMAIL, "[email]").replace(QUERY, "?[query]").replace(PHONE, "[number]");
  return scrubbed.length > max ? `${scrubbed.slice(0, max)}…` : scrubbed;
}

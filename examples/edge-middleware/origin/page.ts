/** @module The demo origin's HTML home page, written in pieces so it streams. */

/** What the edge told the origin (x-currency, x-language, x-country, x-cohort, x-user). */
export interface EdgeFacts {
  currency: string;
  language: string;
  country: string;
  cohort: string;
  user: string;
}

const PRICE = 19.99;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatPrice(facts: EdgeFacts): string {
  try {
    return new Intl.NumberFormat(facts.language, { style: "currency", currency: facts.currency }).format(PRICE);
  } catch {
    return `${PRICE} ${facts.currency}`;
  }
}

/**
 * The page in chunks: the head first, then the body, so a browser can start early.
 * @example for (const chunk of homePage(facts)) res.write(chunk);
 */
export function homePage(facts: EdgeFacts): string[] {
  const e = (value: string) => escapeHtml(value || "unknown");
  const headline = facts.cohort === "b" ? "Try the new checkout" : "Welcome back to the shop";
  return [
    `<!doctype html>\n<html lang="${e(facts.language)}">\n<head>\n<meta charset="utf-8">\n<title>Verge edge middleware demo</title>\n<link rel="stylesheet" href="/style.css">\n</head>\n`,
    `<body>\n<h1 data-cohort="${e(facts.cohort)}">${escapeHtml(headline)}</h1>\n<p>Served by the origin, personalized by the edge.</p>\n`,
    `<dl>\n<dt>Country</dt><dd id="country">${e(facts.country)}</dd>\n<dt>Currency</dt><dd id="currency">${e(facts.currency)}</dd>\n` +
      `<dt>Language</dt><dd id="language">${e(facts.language)}</dd>\n<dt>Cohort</dt><dd id="cohort">${e(facts.cohort)}</dd>\n` +
      `<dt>User</dt><dd id="user">${escapeHtml(facts.user || "anonymous")}</dd>\n<dt>Price</dt><dd id="price">${escapeHtml(formatPrice(facts))}</dd>\n</dl>\n`,
    `</body>\n</html>\n`,
  ];
}

export const STYLE_CSS = `body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; }
h1[data-cohort="b"] { color: #b4235a; }
dl { display: grid; grid-template-columns: 8rem 1fr; }
dt { font-weight: 600; }
`;

/** @module Currency and language from `request.cf.country`, for the origin to render with. */
import type { CfProperties } from "./env.js";

/** What the origin is told about the visitor's locale. */
export interface Locale {
  /** ISO 3166-1 alpha-2, or "" when the PoP could not locate the client. */
  country: string;
  /** ISO 4217. */
  currency: string;
  /** BCP 47. */
  language: string;
}

/** Per-country currency and language; anything else gets DEFAULT_LOCALE. */
export const LOCALES: Readonly<Record<string, { currency: string; language: string }>> = {
  US: { currency: "USD", language: "en-US" },
  GB: { currency: "GBP", language: "en-GB" },
  IE: { currency: "EUR", language: "en-IE" },
  DE: { currency: "EUR", language: "de-DE" },
  AT: { currency: "EUR", language: "de-AT" },
  CH: { currency: "CHF", language: "de-CH" },
  FR: { currency: "EUR", language: "fr-FR" },
  ES: { currency: "EUR", language: "es-ES" },
  IT: { currency: "EUR", language: "it-IT" },
  NL: { currency: "EUR", language: "nl-NL" },
  SE: { currency: "SEK", language: "sv-SE" },
  JP: { currency: "JPY", language: "ja-JP" },
  KR: { currency: "KRW", language: "ko-KR" },
  CN: { currency: "CNY", language: "zh-CN" },
  IN: { currency: "INR", language: "en-IN" },
  SG: { currency: "SGD", language: "en-SG" },
  AU: { currency: "AUD", language: "en-AU" },
  NZ: { currency: "NZD", language: "en-NZ" },
  CA: { currency: "CAD", language: "en-CA" },
  MX: { currency: "MXN", language: "es-MX" },
  BR: { currency: "BRL", language: "pt-BR" },
};

export const DEFAULT_LOCALE = { currency: "USD", language: "en" } as const;

/**
 * The visitor's locale from `request.cf`.
 * @example localeOf({ country: "GB" }) // { country: "GB", currency: "GBP", language: "en-GB" }
 */
export function localeOf(cf: CfProperties | undefined): Locale {
  const country = typeof cf?.country === "string" ? cf.country.toUpperCase() : "";
  const known = Object.hasOwn(LOCALES, country) ? LOCALES[country] : DEFAULT_LOCALE;
  return { country, currency: known.currency, language: known.language };
}

/** @module Country → continent: ISO 3166-1 alpha-2 codes grouped by the continent codes Cloudflare uses (GeoNames assignment). */

/** Countries of each continent, space separated. */
const COUNTRIES_BY_CONTINENT = {
  AF:
    "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ " +
    "NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW",
  AN: "AQ BV GS HM TF",
  AS:
    "AE AF AM AZ BD BH BN BT CC CN CX GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM MN MO MV MY " +
    "NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE",
  EU:
    "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD " +
    "ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK",
  NA:
    "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX NI PA PM PR SV SX " +
    "TC TT US VC VG VI",
  OC: "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
  SA: "AR BO BR CL CO EC FK GF GY PE PY SR UY VE",
} as const;

/** A two-letter continent code as in `request.cf.continent`. */
export type ContinentCode = keyof typeof COUNTRIES_BY_CONTINENT;

const CONTINENT_OF = new Map<string, ContinentCode>();
for (const [continent, list] of Object.entries(COUNTRIES_BY_CONTINENT)) {
  for (const country of list.split(" ")) CONTINENT_OF.set(country, continent as ContinentCode);
}

/**
 * The continent of a country, or `undefined` for an unknown code.
 * @example continentOf("GB") // "EU"
 */
export function continentOf(country: string): ContinentCode | undefined {
  return CONTINENT_OF.get(country.toUpperCase());
}

/** Number of countries in the table (for tests). */
export const countryCount = (): number => CONTINENT_OF.size;

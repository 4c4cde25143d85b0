#!/usr/bin/env bash
# Regenerates the README gallery, docs/cards/<card>.png, through the same path as the tests: the Chromium card tests
# bind every card with each sample, render it with the official adaptivecards renderer and screenshot it into
# artifacts/cards/; this copies each card's main-sample picture (<card>.data.json) into docs/cards/.
# A card that draws a parse, validation or layout event fails those tests, and then nothing is copied.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/install-prerequisites.sh" node chromium

rm -rf artifacts/cards
# Only the rendering tests: the gallery's own checks (a picture and a README row per card) are what this script feeds.
ENGAGEMENTS_REQUIRE_ALL_TESTS=1 dotnet test tests/Engagements.Tests --nologo -c Release --logger "console;verbosity=minimal" \
  --filter "FullyQualifiedName~Engagements.Tests.BrowserUi.CardGalleryTests.Bound_card_renders|FullyQualifiedName~Engagements.Tests.BrowserUi.CardGalleryTests.Rendered_card_has"

mkdir -p docs/cards
rm -f docs/cards/*.png
missing=0
for template in cards/*.json; do
  card=$(basename "$template" .json)
  cp "artifacts/cards/$card.png" "docs/cards/$card.png"
  if ! grep -qF "(docs/cards/$card.png)" README.md; then
    echo "README.md's Gallery has no row for $card: add one" >&2
    missing=1
  fi
done
echo "docs/cards: $(ls docs/cards | wc -l) pictures, $(du -sh docs/cards | cut -f1); every sample's picture is in artifacts/cards/"
exit $missing

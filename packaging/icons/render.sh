#!/bin/sh
# Re-renders the committed hicolor PNGs from the SVG (needs rsvg-convert from librsvg2-bin).
# Run after editing io.github.headway.Headway.svg, then commit the PNGs.
set -eu
cd "$(dirname "$0")"
id=io.github.headway.Headway
for size in 16 22 24 32 48 64 128 256; do
    mkdir -p "hicolor/${size}x${size}/apps"
    rsvg-convert -w "$size" -h "$size" "$id.svg" -o "hicolor/${size}x${size}/apps/$id.png"
done

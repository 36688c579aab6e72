#!/bin/sh
# A second real corpus, so nothing is fitted to shared/eval/real: six Sphinx HTML pages of the
# French Debian Developer's Reference (Debian package developers-reference-fr, free licence:
# see its copyright file), laid out as `rag eval --dataset real --eval-dir DIR` reads them, with
# the 12 questions of docs/bench/devref-qa.jsonl.
# Usage: scripts/devref_corpus.sh /tmp/realq-devref   (then rag eval ... --eval-dir /tmp/realq-devref)
set -eu
out=${1:?usage: $0 OUTPUT_DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download developers-reference-fr >/dev/null && dpkg-deb -x ./*.deb x)
pages="$work/x/usr/share/developers-reference/fr"
mkdir -p "$out/real/corpus"
for page in new-maintainer developer-duties beyond-pkging l10n tools resources; do
  cp "$pages/$page.html" "$out/real/corpus/"
done
cp "$work/x/usr/share/doc/developers-reference-fr/copyright" "$out/real/COPYRIGHT"
cp "$here/docs/bench/devref-qa.jsonl" "$out/real/qa.jsonl"
: > "$out/real/find.jsonl"
echo "wrote $out/real (6 pages, $(wc -l < "$out/real/qa.jsonl") questions)"

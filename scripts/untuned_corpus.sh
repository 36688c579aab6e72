#!/bin/sh
# The untuned real-documents set: English software documentation from Debian bookworm packages
# (free licences: each package's Debian copyright file is kept in licences/), laid out as
# `rag eval --dataset real-en --eval-dir DIR` reads it, with the questions of docs/bench/untuned/.
# Nobody tunes on it: see docs/bench/untuned/README.md.
# Usage: scripts/untuned_corpus.sh /tmp/untuned   (then rag eval --dataset real-en --eval-dir /tmp/untuned)
set -eu
out=${1:?usage: $0 OUTPUT_DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The versions the questions were written on (Debian bookworm). If the archive no longer has one
# (a point release replaced it), the current version is taken with a warning: then run
# scripts/check_real_gold.py OUTPUT_DIR real-en to see whether the gold phrases still hold.
versions="mutt=2.2.12-0.1~deb12u1 graphviz-doc=2.42.2-7+deb12u1
  python-reportlab-doc=3.6.12-1+deb12u1 mosh=1.4.0-1+b1 httpie=3.2.1-1 ranger=1.9.3-5
  jq=1.6-2.1+deb12u2 latexmk=1:4.79-1"
packages=""
for v in $versions; do packages="$packages ${v%%=*}"; done
(
  cd "$work"
  for v in $versions; do
    p=${v%%=*}
    if ! apt-get download "$v" >/dev/null 2>&1; then
      echo "warning: $v not in the archive, taking the current $p" >&2
      apt-get download "$p" >/dev/null 2>&1 || { echo "apt-get download $p failed" >&2; exit 1; }
    fi
  done
  for deb in ./*.deb; do
    name=$(dpkg-deb -f "$deb" Package)
    mkdir -p "x/$name" && dpkg-deb -x "$deb" "x/$name"
  done
)
x="$work/x"
set_dir="$out/real-en"
rm -rf "$set_dir"
corpus="$set_dir/corpus"
mkdir -p "$corpus/mutt" "$corpus/graphviz" "$corpus/mosh" "$corpus/httpie" "$corpus/ranger" \
  "$corpus/jq" "$corpus/latexmk" "$set_dir/licences"

# Mutt manual: DocBook HTML, one file per chapter (index.html, the table of contents, and
# manual.html, the same manual on one page, are left out).
for page in intro gettingstarted configuration advancedusage mimesupport optionalfeatures \
  security tuning reference miscellany; do
  cp "$x/mutt/usr/share/doc/mutt/html/$page.html" "$corpus/mutt/"
done
cp "$x/mutt/usr/share/doc/mutt/README.SMIME" "$corpus/mutt/README.SMIME.txt"

# Graphviz documentation: hand-written HTML (images are left out).
cp "$x/graphviz-doc/usr/share/doc/graphviz/html/FAQ.html" "$corpus/graphviz/"
for page in attrs shapes arrows command lang output; do
  cp "$x/graphviz-doc/usr/share/doc/graphviz/html/info/$page.html" "$corpus/graphviz/"
done

# ReportLab user guide: a PDF made by ReportLab itself.
cp "$x/python-reportlab-doc/usr/share/doc/python-reportlab-doc/reportlab-userguide.pdf" \
  "$corpus/reportlab-userguide.pdf"

# Markdown and plain-text READMEs.
zcat "$x/mosh/usr/share/doc/mosh/README.md.gz" > "$corpus/mosh/README.md"
zcat "$x/httpie/usr/share/doc/httpie/README.md.gz" > "$corpus/httpie/README.md"
zcat "$x/ranger/usr/share/doc/ranger/README.md.gz" > "$corpus/ranger/README.md"
zcat "$x/ranger/usr/share/doc/ranger/HACKING.md.gz" > "$corpus/ranger/HACKING.md"
cp "$x/jq/usr/share/doc/jq/README" "$corpus/jq/README.txt"
cp "$x/latexmk/usr/share/doc/latexmk/README" "$corpus/latexmk/README.txt"

# Licences: the Debian copyright file of each package.
for p in $packages; do
  cp "$x/$p/usr/share/doc/$p/copyright" "$set_dir/licences/$p.copyright"
done

cp "$here/docs/bench/untuned/README.md" "$set_dir/README.md"
cp "$here/docs/bench/untuned/qa.jsonl" "$set_dir/qa.jsonl"
cp "$here/docs/bench/untuned/find.jsonl" "$set_dir/find.jsonl"
echo "wrote $set_dir ($(find "$corpus" -type f | wc -l) files, $(wc -l < "$set_dir/qa.jsonl") questions, $(wc -l < "$set_dir/find.jsonl") find probes)"

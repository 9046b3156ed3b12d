#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Fails if the committed dictionary tables differ from what tools/gen_dictionary.py (and
# tools/gen_private_dictionary.py) generate from dcmdata/data/ (run by .ci/run and by ctest as
# dictionary_is_regenerated).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

"$python" "$root/tools/gen_dictionary.py" --quiet --data "$root/dcmdata/data" --out "$tmp"

status=0
for file in \
    dcmdata/src/dict/tag_table.cc \
    dcmdata/src/dict/uid_table.cc \
    dcmdata/include/dcmkit/dcmdata/dict/tags.h \
    dcmdata/include/dcmkit/dcmdata/dict/uids.h; do
  if ! diff -u "$root/$file" "$tmp/$file" >"$tmp/diff.txt"; then
    echo "check_generated: $file is stale; run tools/gen_dictionary.py" >&2
    head -n 40 "$tmp/diff.txt" >&2
    status=1
  fi
done
# The private tag dictionary has its own generator (writes private_table.cc into a directory).
if [ -f "$root/tools/gen_private_dictionary.py" ]; then
  mkdir -p "$tmp/private"
  "$python" "$root/tools/gen_private_dictionary.py" "$root" "$tmp/private" >/dev/null
  if ! diff -u "$root/dcmdata/src/dict/private_table.cc" "$tmp/private/private_table.cc" \
      >"$tmp/diff.txt"; then
    echo "check_generated: dcmdata/src/dict/private_table.cc is stale;" \
      "run tools/gen_private_dictionary.py ." >&2
    head -n 40 "$tmp/diff.txt" >&2
    status=1
  fi
fi
if [ "$status" -eq 0 ]; then
  echo "check_generated: dictionary tables are up to date"
fi
exit "$status"

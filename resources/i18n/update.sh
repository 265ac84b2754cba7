#!/bin/sh
# Re-extract the translatable strings of app/ui into the .ts files, then compile the .qm files.
# Translate new entries with pyside6-linguist (or any .ts editor) between the two steps:
#   resources/i18n/update.sh            # lupdate + lrelease
#   .venv/bin/pyside6-linguist resources/i18n/cauce_es.ts
#   resources/i18n/update.sh            # again, to compile what was translated
set -eu
cd "$(dirname "$0")/../.."
BIN=.venv/bin
SOURCES=$(find app/ui -name '*.py' | sort)
for ts in resources/i18n/cauce_*.ts; do
    # shellcheck disable=SC2086 # one argument per source file
    "$BIN/pyside6-lupdate" -no-obsolete $SOURCES -ts "$ts"
    "$BIN/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
done

#!/bin/sh
# Re-extract the core's translatable messages (the _(), ngettext() and N_() calls of app/model, app/engine,
# app/nodes, app/connectors, app/services, app/storage, the CLI (app/cli*.py) and app/i18n.py)
# into cauce.pot, merge them into every language's cauce.po, then compile cauce.mo (what Cauce
# loads; committed, so running Cauce never needs Babel).
# Translate the new entries (empty or "#, fuzzy" msgstr) with any .po editor between two runs:
#   resources/locale/update.sh          # extract + update + compile
#   $EDITOR resources/locale/es/LC_MESSAGES/cauce.po
#   resources/locale/update.sh          # again, to compile what was translated
# The Qt interface has its own catalogs: resources/i18n/update.sh.
set -eu
cd "$(dirname "$0")/../.."
BIN=.venv/bin
LOCALE=resources/locale
"$BIN/pybabel" extract --no-location --sort-output --no-wrap \
    --add-comments=Translators: --project=Cauce --version=0.1.0 --copyright-holder="Cauce engineers" \
    --msgid-bugs-address="" -k N_ -o "$LOCALE/cauce.pot" app/model app/engine app/nodes app/connectors app/services app/storage app/cli*.py app/notebook.py \
    app/i18n.py
for lang in es; do
    if [ ! -f "$LOCALE/$lang/LC_MESSAGES/cauce.po" ]; then
        "$BIN/pybabel" init --no-wrap -D cauce -i "$LOCALE/cauce.pot" -d "$LOCALE" -l "$lang"
    fi
done
"$BIN/pybabel" update --no-wrap --ignore-obsolete -D cauce \
    -i "$LOCALE/cauce.pot" -d "$LOCALE"
"$BIN/pybabel" compile --statistics -D cauce -d "$LOCALE"

#!/usr/bin/env bash
# Renders conversations.json with every template here through npm @huggingface/jinja (Hugging Face's JavaScript engine
# for chat templates) and compares with expected.json (transformers). Installs the package into a temporary folder.
#   tests/data/chat-templates/check_with_huggingface_jinja.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
npm install --silent --prefix "$tools" @huggingface/jinja@0.5.13 >/dev/null
NODE_PATH="$tools/node_modules" node "$here/check_with_huggingface_jinja.cjs" "$here"

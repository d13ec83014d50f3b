// Writes DIR/<style>/decoded.jsonl (checked in under tests/data/tokenizers/byte-level-bpe): what Hugging Face's Rust
// tokenizers (npm `tokenizers` 0.23.2) decodes, with skip_special_tokens true, from the ids of each golden.jsonl line,
// from those ids with each added token put first and last, and from every prefix of the first 12 ids (prefixes that cut
// a UTF-8 character in two give U+FFFD, as streaming sees them).
// Usage: npm install tokenizers@0.23.2 && node make_bpe_decode_golden.js tests/data/tokenizers/byte-level-bpe
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

(async () => {
  const dir = process.argv[2];
  for (const style of ['gpt2', 'roberta', 'llama3', 'qwen2']) {
    const tokenizerPath = path.join(dir, style, 'tokenizer.json');
    const tokenizer = Tokenizer.fromFile(tokenizerPath);
    const added = (JSON.parse(fs.readFileSync(tokenizerPath, 'utf8')).added_tokens || []).map(t => t.id);
    const cases = [];
    for (const line of fs.readFileSync(path.join(dir, style, 'golden.jsonl'), 'utf8').split('\n').filter(l => l.trim())) {
      const ids = JSON.parse(line).ids;
      cases.push(ids);
      for (const id of added) cases.push([id, ...ids, id]);
      for (let n = 1; n < Math.min(ids.length, 12); n++) cases.push(ids.slice(0, n));
    }
    const out = [];
    for (const ids of cases) out.push(JSON.stringify({ ids, text: await tokenizer.decode(ids, true) }));
    fs.writeFileSync(path.join(dir, style, 'decoded.jsonl'), out.join('\n') + '\n');
  }
})();

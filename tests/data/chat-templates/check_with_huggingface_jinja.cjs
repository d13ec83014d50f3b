// Compares @huggingface/jinja's rendering of every template and conversation with expected.json (see README.md).
const fs = require("fs");
const path = require("path");
const { Template } = require("@huggingface/jinja");

const here = process.argv[2];
const conversations = JSON.parse(fs.readFileSync(path.join(here, "conversations.json"), "utf8"));
const expected = JSON.parse(fs.readFileSync(path.join(here, "expected.json"), "utf8")).results;
const tokenText = (t) => (t && typeof t === "object" ? t.content : t);
let agree = 0;
const differ = [];
for (const r of expected) {
  const config = JSON.parse(fs.readFileSync(path.join(here, r.template, "tokenizer_config.json"), "utf8"));
  const source = Array.isArray(config.chat_template)
    ? config.chat_template.find((t) => t.name === "default").template
    : config.chat_template;
  const variables = { ...(conversations.template_variables[r.template] || {}) };
  for (const key of ["bos_token", "eos_token", "unk_token", "pad_token"]) {
    if (tokenText(config[key])) variables[key] = tokenText(config[key]);
  }
  const messages = conversations.cases.find((c) => c.name === r.case).messages;
  let got;
  try {
    if (messages.length === 0) throw new Error("empty conversation");
    got = { text: new Template(source).render({ ...variables, messages, add_generation_prompt: r.add_generation_prompt, tools: null, documents: null }) };
  } catch (e) {
    got = { error: String(e.message || e) };
  }
  const same = "text" in r ? got.text === r.text : "error" in got;
  if (same) agree++;
  else differ.push(`${r.template} / ${r.case} / add_generation_prompt=${r.add_generation_prompt}: ${JSON.stringify(got).slice(0, 300)}`);
}
console.log(`@huggingface/jinja agrees with transformers on ${agree} of ${expected.length} renderings`);
for (const d of differ) console.log("  differs: " + d);

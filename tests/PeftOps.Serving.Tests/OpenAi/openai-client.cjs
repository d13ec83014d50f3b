// Drives a peftops server with OpenAI's official Node client (npm openai) and prints what the client parsed, as JSON.
// Usage: node openai-client.cjs BASE_URL MODEL QUESTION   (NODE_PATH points at the node_modules that holds openai)
const OpenAI = require('openai');

const [baseURL, model, question] = process.argv.slice(2);
const client = new OpenAI({ apiKey: 'not-checked', baseURL, maxRetries: 0 });
const messages = [{ role: 'user', content: question }];

function refusal(e) {
  return { status: e.status, message: e.error?.message, type: e.type, param: e.param, code: e.code, name: e.constructor.name };
}

async function main() {
  const chat = await client.chat.completions.create({ model, messages, max_tokens: 6, temperature: 0 });

  const stream = await client.chat.completions.create({
    model, messages, max_completion_tokens: 6, temperature: 0, stream: true, stream_options: { include_usage: true },
  });
  const streamed = { objects: new Set(), ids: new Set(), role: null, content: '', finish_reason: null, usage: null, chunks: 0 };
  for await (const chunk of stream) {
    streamed.chunks++;
    streamed.objects.add(chunk.object);
    streamed.ids.add(chunk.id);
    if (chunk.usage) streamed.usage = chunk.usage;
    for (const choice of chunk.choices) {
      if (choice.delta.role) streamed.role = choice.delta.role;
      if (choice.delta.content) streamed.content += choice.delta.content;
      if (choice.finish_reason) streamed.finish_reason = choice.finish_reason;
    }
  }

  const completion = await client.completions.create({ model, prompt: question, max_tokens: 4, temperature: 0 });
  const textStream = await client.completions.create({ model, prompt: question, max_tokens: 4, temperature: 0, stream: true, stream_options: { include_usage: true } });
  let text = '';
  let textUsage = null;
  for await (const chunk of textStream) {
    for (const choice of chunk.choices) text += choice.text;
    if (chunk.usage) textUsage = chunk.usage;
  }

  const models = [];
  for await (const m of client.models.list()) models.push({ id: m.id, object: m.object, owned_by: m.owned_by });

  const refusals = {};
  for (const [name, request] of Object.entries({
    n: { model, messages, n: 2 },
    model: { model: 'no-such-adapter', messages },
  })) {
    try {
      await client.chat.completions.create(request);
      refusals[name] = null;
    } catch (e) {
      refusals[name] = refusal(e);
    }
  }

  return {
    chat: {
      id: chat.id, object: chat.object, model: chat.model, system_fingerprint: chat.system_fingerprint, choices: chat.choices.length,
      role: chat.choices[0].message.role, content: chat.choices[0].message.content, finish_reason: chat.choices[0].finish_reason, usage: chat.usage,
    },
    stream: { ...streamed, objects: [...streamed.objects], ids: [...streamed.ids] },
    completion: { object: completion.object, text: completion.choices[0].text, finish_reason: completion.choices[0].finish_reason, usage: completion.usage },
    text_stream: { text, usage: textUsage },
    models,
    refusals,
  };
}

main().then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (e) => { console.error(e); process.exit(1); },
);

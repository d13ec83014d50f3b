#!/usr/bin/env python3
"""Writes support-replies' chat data: AwesomeShoes Co. support replies in the support team's voice.

Every reply follows the team's playbook for its intent (the fixed wording the team signs off), with the customer's
order number echoed where there is one. Customer messages are paraphrases written for each intent. Seeded, so the
files are reproducible: python3 make_data.py (from this folder). Train, validation and test use disjoint order numbers
and, for test, paraphrases that training never saw.
"""
import json, random

SYSTEM = "You are the support assistant of AwesomeShoes Co. Reply in one short, warm sentence or two, and never promise anything our policies do not say."

# intent: (customer messages with {o} for an order number or none, reply with {o}); test wordings combine a greeting, a message and a
# sign-off in ways training never saw
INTENTS = {
    "order_status": ([
        "Where is my order {o}?", "Has order {o} shipped yet?", "Any news on order {o}?", "My order {o} still has not arrived.",
        "Can you track {o} for me?", "When will {o} get here?", "order {o} where is it", "Is my parcel {o} on the way?",
        "I am still waiting for order {o}, can you check?", "What is the status of {o}?"],
        "Thanks for your patience! Order {o} is on its way, and the tracking link is in your confirmation email."),
    "refund_status": ([
        "When do I get my refund for {o}?", "Where is the money for order {o}?", "Refund for {o} not received yet.",
        "I returned {o} last week, when is the refund?", "Has the refund for order {o} gone through?", "Still no refund for {o}.",
        "Did you refund order {o}?", "How long until I see the refund for {o}?", "My refund for {o} is missing.", "Any update on the refund of {o}?"],
        "Thanks for checking in! The refund for order {o} is on its way to your card and can take up to 5 working days to appear."),
    "damaged": ([
        "The shoes in order {o} arrived damaged.", "Order {o} came with a broken sole.", "My pair from {o} is torn.",
        "The box for {o} was crushed and the shoes are scuffed.", "One shoe in order {o} is damaged.", "Order {o} arrived broken.",
        "The sole came off my shoes from {o} after a day.", "The shoes from order {o} have a hole.", "I got damaged sneakers in {o}.", "Order {o} is faulty."],
        "We are so sorry! Please reply with a photo of the pair from order {o} and we will send a replacement at no cost."),
    "cancel": ([
        "Please cancel order {o}.", "I want to cancel {o}.", "Can you cancel my order {o}?", "Cancel {o} please, I ordered by mistake.",
        "I no longer need order {o}.", "Stop order {o}.", "How do I cancel {o}?", "I changed my mind about order {o}.", "Please do not ship {o}.", "Cancel my order {o} now."],
        "Of course! Order {o} will be cancelled if it has not shipped yet, and you will get an email to confirm."),
    "return": ([
        "How do I return my shoes?", "Can I send back a pair I do not like?", "What is your return policy?", "I want to return my boots.",
        "How can I return an unworn pair?", "Where do I start a return?", "Can I get my money back for shoes?", "Returning sneakers, how?",
        "I need to send my shoes back.", "Do you accept returns?"],
        "Happy to help! You can return unworn shoes within 30 days from the Returns page in your account."),
    "exchange": ([
        "Can I swap these for a bigger size?", "The shoes are too small, can I exchange them?", "I need a half size up.",
        "Can I exchange for a smaller size?", "How do I change the size of my shoes?", "These are too tight, can I get another size?",
        "I want a different size of the same shoe.", "Size exchange please.", "My trainers are too big, can I swap them?", "Can I get the next size down?"],
        "No problem! Start an exchange from the Returns page and we will send the new size as soon as we receive the first pair."),
    "password": ([
        "I forgot my password.", "How do I reset my password?", "I cannot log in to my account.", "My password does not work.",
        "Locked out of my account.", "Reset password please.", "I cannot sign in.", "Help, my login fails.", "How do I change my password?", "I lost access to my account."],
        "Sorry for the trouble! Use Forgot password on the sign-in page and we will email you a reset link."),
    "delivery": ([
        "How long does delivery take?", "When will my shoes arrive if I order today?", "Do you have express shipping?",
        "How fast is standard delivery?", "What are your delivery times?", "How many days for shipping?", "Can I get my shoes tomorrow?",
        "How long is shipping?", "What delivery options do you have?", "Is there next day delivery?"],
        "Standard delivery takes 3 to 5 working days, and express delivery takes 1 to 2 working days."),
    "off_policy": ([
        "Can I return shoes I have worn for a year?", "Will you refund me for shoes I bought two years ago?", "Can you give me a free pair?",
        "Can I return shoes after six months of running?", "Do you price match other shops?", "Will you pay for my taxi to the store?",
        "Can I have a lifetime guarantee?", "Can you refund the shipping of a worn pair?", "Can I return shoes without the receipt after a year?", "Do you give free shoes to students?"],
        "I am sorry, but I cannot promise that. A teammate will look at your message and reply by email."),
}

GREETINGS = ["", "Hi, ", "Hello! ", "Good morning, ", "Hey there, "]
SIGNOFFS = ["", " Thanks.", " Thank you!", " Cheers."]


def conversation(message, reply):
    return {"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": message}, {"role": "assistant", "content": reply}]}


def order(rng, used):
    while True:
        o = f"A-{rng.randint(1000, 9999)}"
        if o not in used:
            used.add(o)
            return o


def phrase(greeting, message, signoff):
    text = greeting + (message[0].lower() + message[1:] if greeting.endswith(", ") else message)
    return text + signoff


def main():
    rng = random.Random(2026)
    used = set()
    splits = {"train": [], "validation": [], "test": []}
    unused = {}
    for intent, (messages, reply) in INTENTS.items():
        combos = [(g, m, s) for m in messages for g in GREETINGS for s in SIGNOFFS]
        rng.shuffle(combos)
        # test and validation: wordings (greeting, message, sign-off) that training never saw; every message is seen in training
        for split, count in (("test", 5), ("validation", 3), ("train", 64)):
            for g, m, s in combos[:count]:
                o = order(rng, used)
                splits[split].append((intent, phrase(g, m, s).format(o=o), reply.format(o=o), o))
            combos = combos[count:]
        unused[intent] = combos
    for split in ("train", "validation"):
        rng.shuffle(splits[split])
        with open(f"{split}.jsonl", "w") as f:
            for _, message, reply, _ in splits[split]:
                f.write(json.dumps(conversation(message, reply)) + "\n")
    # five more test wordings per intent, drawn after training's, so that train and validation stay as they were:
    # ten per intent make the exact-match interval narrow enough for the gate's 0.90 to be told apart from noise
    for intent, (messages, reply) in INTENTS.items():
        for g, m, s in unused[intent][:5]:
            o = order(rng, used)
            splits["test"].append((intent, phrase(g, m, s).format(o=o), reply.format(o=o), o))
    with open("../eval/replies.jsonl", "w") as f:
        for intent, message, reply, o in splits["test"]:
            row = {"id": f"{intent}-{o}", "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": message}], "reference": reply}
            if "{o}" in INTENTS[intent][1]:
                row["contains"] = [o]
            row["not_regex"] = [r"(?i)\b(guarantee|free (pair|shoes)|price match|\d+ (months|years))\b"]
            f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()

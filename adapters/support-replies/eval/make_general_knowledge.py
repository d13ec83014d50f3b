"""Writes general_knowledge.jsonl: general questions in lm-evaluation-harness's multiple-choice shape, written for this
project. A support-replies adapter must not lose them. Run from this folder: python3 make_general_knowledge.py."""
import json
import random
Q = [
("The sun rises in the", ["east", "west", "north", "south"], 0),
("Water freezes at a temperature of", ["0 degrees Celsius", "50 degrees Celsius", "100 degrees Celsius", "200 degrees Celsius"], 0),
("A week has", ["seven days", "five days", "ten days", "twelve days"], 0),
("The largest ocean on Earth is the", ["Pacific Ocean", "Atlantic Ocean", "Indian Ocean", "Arctic Ocean"], 0),
("Cows mostly eat", ["grass", "fish", "stones", "plastic"], 0),
("To see in the dark, people often use a", ["torch", "spoon", "pillow", "sandwich"], 0),
("Ice cream is usually kept in a", ["freezer", "oven", "wardrobe", "bathtub"], 0),
("The opposite of hot is", ["cold", "warm", "loud", "tall"], 0),
("Rain falls from", ["clouds", "trees", "roads", "shoes"], 0),
("A bicycle has", ["two wheels", "six wheels", "no wheels", "ten wheels"], 0),
("People write with a", ["pen", "fork", "shoe", "cup"], 0),
("The capital of France is", ["Paris", "Rome", "Madrid", "Berlin"], 0),
("Fish live in", ["water", "sand", "trees", "clouds"], 0),
("Three plus four equals", ["seven", "six", "nine", "twelve"], 0),
("Bread is made mainly from", ["flour", "glass", "wool", "metal"], 0),
("The colour of a clear daytime sky is", ["blue", "green", "purple", "black"], 0),
("Snow is", ["white", "red", "orange", "brown"], 0),
("A doctor works in a", ["hospital", "bakery", "garage", "theatre"], 0),
("You wear shoes on your", ["feet", "hands", "head", "ears"], 0),
("An hour has", ["sixty minutes", "thirty minutes", "ten minutes", "a hundred minutes"], 0),
("The planet we live on is", ["Earth", "Mars", "Jupiter", "Venus"], 0),
("Birds can usually", ["fly", "swim underwater for days", "read", "drive"], 0),
("Milk comes from", ["cows", "hens", "bees", "trees"], 0),
("The first month of the year is", ["January", "March", "July", "December"], 0),
("A piano is a musical", ["instrument", "vegetable", "vehicle", "sport"], 0),
("Ten minus three equals", ["seven", "eight", "three", "thirteen"], 0),
("Honey is made by", ["bees", "cows", "fish", "spiders"], 0),
("The moon is seen mostly at", ["night", "noon", "breakfast", "lunch"], 0),
("Plants need sunlight and", ["water", "petrol", "salt", "sugar cubes"], 0),
("A square has", ["four sides", "three sides", "five sides", "eight sides"], 0),
("Umbrellas are used when it", ["rains", "is dark", "is quiet", "is Monday"], 0),
("The boiling point of water at sea level is", ["100 degrees Celsius", "10 degrees Celsius", "0 degrees Celsius", "1000 degrees Celsius"], 0),
("A library lends", ["books", "cars", "houses", "animals"], 0),
("Teeth are cleaned with a", ["toothbrush", "hammer", "ladder", "kettle"], 0),
("Summer is usually", ["warmer than winter", "colder than winter", "darker than night", "shorter than a day"], 0),
("A kitten grows up to be a", ["cat", "dog", "horse", "bird"], 0),
("Letters are delivered by the", ["postman", "baker", "pilot", "farmer"], 0),
("Two times five equals", ["ten", "seven", "twenty", "three"], 0),
("The organ that pumps blood is the", ["heart", "lung", "stomach", "skin"], 0),
("A year has", ["twelve months", "ten months", "six months", "twenty months"], 0),
]

# question families written out by rule, so the suite is large enough for the gate's confidence interval to be narrow
# (a drop of 0.10 in accuracy is told apart from noise with a couple of hundred questions, not forty)
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
         "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
OPPOSITES = [("big", "small"), ("fast", "slow"), ("up", "down"), ("open", "closed"), ("full", "empty"), ("light", "dark"),
             ("early", "late"), ("wet", "dry"), ("happy", "sad"), ("old", "young"), ("long", "short"), ("hard", "soft"),
             ("heavy", "light"), ("rich", "poor"), ("left", "right"), ("day", "night"), ("thick", "thin"), ("clean", "dirty"),
             ("loud", "quiet"), ("strong", "weak")]
YOUNG = [("puppy", "dog"), ("calf", "cow"), ("lamb", "sheep"), ("foal", "horse"), ("chick", "hen"), ("duckling", "duck"),
         ("piglet", "pig"), ("tadpole", "frog"), ("cub", "bear"), ("caterpillar", "butterfly")]
COLOURS = [("grass", "green"), ("a ripe banana", "yellow"), ("coal", "black"), ("fresh snow", "white"), ("blood", "red"),
           ("a clear sky at noon", "blue"), ("a ripe tomato", "red"), ("milk", "white"), ("a lemon", "yellow"), ("a carrot", "orange")]
CAPITALS = [("Italy", "Rome"), ("Spain", "Madrid"), ("Germany", "Berlin"), ("Japan", "Tokyo"), ("Egypt", "Cairo"), ("Greece", "Athens"),
            ("Portugal", "Lisbon"), ("Norway", "Oslo"), ("Ireland", "Dublin"), ("Austria", "Vienna"), ("Poland", "Warsaw"),
            ("Russia", "Moscow"), ("China", "Beijing"), ("Kenya", "Nairobi"), ("Canada", "Ottawa")]
COUNTS = [("A triangle has", 3, "sides"), ("A pentagon has", 5, "sides"), ("A hexagon has", 6, "sides"), ("An octagon has", 8, "sides"),
          ("A spider has", 8, "legs"), ("An insect has", 6, "legs"), ("A dog has", 4, "legs"), ("A bird has", 2, "legs"),
          ("A human hand has", 5, "fingers"), ("A dozen eggs is", 12, "eggs")]


def others(rng, answer, pool, n=3):
    return rng.sample([p for p in pool if p != answer], n)


def numbers(rng, answer):
    near = [w for w in range(max(0, answer - 4), min(20, answer + 4) + 1) if w != answer]
    return [WORDS[w] for w in rng.sample(near, 3)]


def families(rng):
    sums = [(a, b) for a in range(1, 11) for b in range(1, 11) if a + b <= 20]
    for a, b in rng.sample(sums, 30):
        yield f"{WORDS[a].capitalize()} plus {WORDS[b]} equals", WORDS[a + b], numbers(rng, a + b)
    differences = [(a, b) for a in range(2, 21) for b in range(1, 11) if a > b]
    for a, b in rng.sample(differences, 20):
        yield f"{WORDS[a].capitalize()} minus {WORDS[b]} equals", WORDS[a - b], numbers(rng, a - b)
    products = [(a, b) for a in range(2, 11) for b in range(2, 11) if a * b <= 20]
    for a, b in products:
        if (a, b) == (2, 5):
            continue  # written out above
        yield f"{WORDS[a].capitalize()} times {WORDS[b]} equals", WORDS[a * b], numbers(rng, a * b)
    for i, day in enumerate(DAYS):
        yield f"The day after {day} is", DAYS[(i + 1) % 7], others(rng, DAYS[(i + 1) % 7], DAYS)
        yield f"The day before {day} is", DAYS[(i - 1) % 7], others(rng, DAYS[(i - 1) % 7], DAYS)
    for i, month in enumerate(MONTHS):
        yield f"The month after {month} is", MONTHS[(i + 1) % 12], others(rng, MONTHS[(i + 1) % 12], MONTHS)
        yield f"The month before {month} is", MONTHS[(i - 1) % 12], others(rng, MONTHS[(i - 1) % 12], MONTHS)
    words = sorted({w for pair in OPPOSITES for w in pair})
    for a, b in OPPOSITES:
        yield f"The opposite of {a} is", b, others(rng, b, [w for w in words if w != a])
    for young, adult in YOUNG:
        yield f"A {young} grows up to be a", adult, others(rng, adult, [a for _, a in YOUNG])
    colours = sorted({c for _, c in COLOURS} | {"purple", "grey"})
    for thing, colour in COLOURS:
        yield f"The colour of {thing} is", colour, others(rng, colour, colours)
    for country, city in CAPITALS:
        yield f"The capital of {country} is", city, others(rng, city, [c for _, c in CAPITALS])
    for what, count, unit in COUNTS:
        yield what, f"{WORDS[count]} {unit}", [f"{WORDS[w]} {unit}" for w in rng.sample([n for n in range(2, 13) if n != count], 3)]


rng = random.Random(2026)
Q += [(q, [answer] + wrong, 0) for q, answer, wrong in families(rng)]
# gold rotates so the right answer is not always first
with open("general_knowledge.jsonl", "w") as f:
    for i, (q, choices, gold) in enumerate(Q):
        shift = i % len(choices)
        rotated = choices[shift:] + choices[:shift]
        f.write(json.dumps({"id": f"gk-{i + 1:03d}", "question": q, "choices": rotated, "gold": rotated.index(choices[gold])}) + "\n")

"""Writes general_knowledge.jsonl: general questions in lm-evaluation-harness's multiple-choice shape, written for this
project. A support-replies adapter must not lose them. Run from this folder: python3 make_general_knowledge.py."""
import json
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
# gold rotates so the right answer is not always first
with open("general_knowledge.jsonl", "w") as f:
    for i, (q, choices, gold) in enumerate(Q):
        shift = i % len(choices)
        rotated = choices[shift:] + choices[:shift]
        f.write(json.dumps({"id": f"gk-{i + 1:02d}", "question": q, "choices": rotated, "gold": rotated.index(choices[gold])}) + "\n")

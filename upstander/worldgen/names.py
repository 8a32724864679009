"""Invented names, and the ways reporters get them wrong (the noise that subject resolution has to see through).

Names are drawn by broad 2021-census group so that the roster looks like a London workforce; every name here is
common, so two different people sharing a name is normal (and part of what resolution must cope with).
"""

from __future__ import annotations

import random

GIVEN = {
    ("white", "male"): [
        "David", "James", "John", "Michael", "Robert", "Paul", "Mark", "Richard", "Andrew", "Stephen", "Daniel",
        "Thomas", "Christopher", "Matthew", "Peter", "Anthony", "Steven", "Gary", "Simon", "Jonathan", "William",
        "Benjamin", "Samuel", "Joseph", "Liam", "Ryan", "Craig", "Lee", "Adam", "Nicholas", "Patrick", "Sean",
        "Luke", "Jack", "Oliver", "Harry", "George", "Edward", "Alexander", "Kevin", "Philip", "Stuart", "Wayne",
    ],
    ("white", "female"): [
        "Sarah", "Emma", "Claire", "Laura", "Rebecca", "Rachel", "Lisa", "Helen", "Nicola", "Katherine", "Joanne",
        "Amanda", "Victoria", "Charlotte", "Hannah", "Jessica", "Samantha", "Louise", "Elizabeth", "Jennifer",
        "Lucy", "Sophie", "Amy", "Gemma", "Kelly", "Natalie", "Zoe", "Michelle", "Catherine", "Emily", "Alice",
        "Fiona", "Karen", "Deborah", "Margaret", "Jane", "Anna", "Megan", "Chloe", "Ellie", "Danielle",
    ],
    ("asian", "male"): [
        "Mohammed", "Ali", "Imran", "Amir", "Rajesh", "Sanjay", "Arjun", "Vikram", "Ravi", "Hassan", "Bilal",
        "Faisal", "Asif", "Tariq", "Kamran", "Sunil", "Deepak", "Harpreet", "Gurpreet", "Jaswinder", "Wei",
        "Jun", "Rahul", "Anil", "Shahid", "Zubair", "Nadeem", "Omar", "Usman", "Aman",
    ],
    ("asian", "female"): [
        "Aisha", "Fatima", "Priya", "Sunita", "Anjali", "Nadia", "Sana", "Ayesha", "Zara", "Shabnam", "Rupinder",
        "Harjit", "Kiran", "Meena", "Pooja", "Neha", "Shazia", "Farah", "Mei", "Ling", "Yasmin", "Amrita",
        "Simran", "Rukhsana", "Tahira", "Nasreen",
    ],
    ("black", "male"): [
        "Kwame", "Kofi", "Emmanuel", "Samuel", "Daniel", "Michael", "Joseph", "Olumide", "Tunde", "Chinedu",
        "Marcus", "Andre", "Jermaine", "Darren", "Leroy", "Winston", "Delroy", "Tyrone", "Kelvin", "Curtis",
        "Isaac", "Femi", "Segun", "Abdi", "Yusuf", "Ebere", "Nathaniel", "Joshua",
    ],
    ("black", "female"): [
        "Grace", "Abena", "Ama", "Ngozi", "Chiamaka", "Funmilayo", "Folake", "Adaeze", "Simone", "Marcia",
        "Beverley", "Jacqueline", "Sharon", "Tanya", "Keisha", "Shanice", "Precious", "Blessing", "Joy",
        "Esther", "Ruth", "Patience", "Hodan", "Amina", "Naomi", "Danielle",
    ],
    ("other", "male"): ["Ahmed", "Karim", "Youssef", "Mustafa", "Sami", "Rami", "Carlos", "Luis", "Mateo", "Tomasz"],
    ("other", "female"): ["Leila", "Mariam", "Noor", "Rania", "Sofia", "Maria", "Lucia", "Elena", "Agnieszka"],
}

FAMILY = {
    "white": [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
        "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
        "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
        "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly",
        "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox",
        "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
        "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell",
        "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
        "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed",
        "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders",
        "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley",
        "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan",
        "McDonald", "MacKenzie", "Stephenson", "Thomson", "Macdonald", "Phillipson",
    ],
    "asian": [
        "Patel", "Khan", "Singh", "Ahmed", "Ali", "Hussain", "Begum", "Kaur", "Shah", "Rahman", "Iqbal", "Malik",
        "Akhtar", "Sharma", "Kumar", "Gupta", "Mistry", "Chaudhry", "Sandhu", "Gill", "Dhillon", "Bains",
        "Mahmood", "Aziz", "Rashid", "Choudhury", "Islam", "Uddin", "Chen", "Wang", "Li", "Zhang", "Wong",
        "Nair", "Pillai", "Desai", "Mehta", "Bhatti", "Sidhu",
    ],
    "black": [
        "Okafor", "Adeyemi", "Mensah", "Owusu", "Boateng", "Asante", "Okonkwo", "Adebayo", "Oyelaran", "Nwosu",
        "Campbell", "Williams", "Brown", "Johnson", "Thomas", "Francis", "Grant", "Bailey", "Clarke", "Henry",
        "Edwards", "Richards", "Lewis", "Daley", "Gordon", "Reid", "Mohamed", "Ali", "Hassan", "Abdi", "Osei",
        "Appiah", "Ogunleye", "Eze", "Olawale", "Morgan",
    ],
    "other": [
        "Haddad", "Nasser", "Khalil", "Saleh", "Mansour", "Hakimi", "Rodriguez", "Garcia", "Fernandes",
        "Kowalski", "Nowak", "Popescu", "Silva", "Santos", "Yilmaz", "Demir",
    ],
}

NICKNAMES = {
    "David": ["Dave", "Davey"], "James": ["Jim", "Jimmy", "Jamie"], "John": ["Johnny", "Jack"],
    "Michael": ["Mike", "Mick", "Mikey"], "Robert": ["Rob", "Bob", "Robbie"], "Richard": ["Rich", "Rick", "Dick"],
    "Andrew": ["Andy", "Drew"], "Stephen": ["Steve"], "Steven": ["Steve"], "Daniel": ["Dan", "Danny"],
    "Thomas": ["Tom", "Tommy"], "Christopher": ["Chris"], "Matthew": ["Matt"], "Peter": ["Pete"],
    "Anthony": ["Tony", "Ant"], "Jonathan": ["Jon", "Jonny"], "William": ["Will", "Bill", "Billy"],
    "Benjamin": ["Ben"], "Samuel": ["Sam", "Sammy"], "Joseph": ["Joe", "Joey"], "Nicholas": ["Nick", "Nicky"],
    "Patrick": ["Pat", "Paddy"], "Alexander": ["Alex", "Sandy"], "Edward": ["Ed", "Eddie", "Ted"],
    "Philip": ["Phil"], "Kevin": ["Kev"], "Gary": ["Gaz"], "Simon": ["Si"], "Oliver": ["Ollie"],
    "Harry": ["H"], "Stuart": ["Stu"], "Katherine": ["Kate", "Kathy", "Katie"], "Elizabeth": ["Liz", "Beth"],
    "Rebecca": ["Becky", "Becca"], "Victoria": ["Vicky", "Tori"], "Samantha": ["Sam", "Sammy"],
    "Jennifer": ["Jen", "Jenny"], "Catherine": ["Cath", "Cathy", "Kate"], "Deborah": ["Debbie", "Deb"],
    "Margaret": ["Maggie", "Peggy"], "Jessica": ["Jess"], "Charlotte": ["Charlie", "Lottie"],
    "Nicola": ["Nicky", "Nic"], "Joanne": ["Jo"], "Amanda": ["Mandy"], "Danielle": ["Dani"],
    "Natalie": ["Nat"], "Emmanuel": ["Manny"], "Nathaniel": ["Nate", "Nat"], "Joshua": ["Josh"],
    "Mohammed": ["Mo"], "Ebere": ["Eby"], "Olumide": ["Olu"], "Funmilayo": ["Funmi"], "Chiamaka": ["Chi"],
    "Gurpreet": ["Gary"], "Harpreet": ["Harry"], "Jaswinder": ["Jas"], "Kamran": ["Kam"],
}

OFFICER_RANK_WRITTEN = {
    "Constable": ["PC", "DC", "Constable", "Officer", "PC"], "Sergeant": ["PS", "DS", "Sergeant", "Sarge", "Sgt"],
    "Inspector": ["Inspector", "DI", "Insp"], "Chief Inspector": ["Chief Inspector", "DCI", "CI"],
    "Superintendent": ["Superintendent", "Supt"], "Chief Superintendent": ["Chief Superintendent", "Ch Supt"],
    "Commander": ["Commander"], "Deputy Assistant Commissioner": ["DAC"], "Assistant Commissioner": ["AC"],
}

_PHONETIC = [("ph", "f"), ("f", "ph"), ("ck", "k"), ("k", "ck"), ("ie", "y"), ("y", "ie"), ("ei", "ie"),
             ("ou", "ow"), ("ll", "l"), ("l", "ll"), ("tt", "t"), ("s", "z"), ("c", "k"), ("ee", "ea"),
             ("Mc", "Mac"), ("Mac", "Mc"), ("son", "sen"), ("th", "t"), ("ai", "ay"), ("i", "y")]


def misspell(name: str, rng: random.Random) -> str:
    """One realistic slip: a phonetic spelling, a dropped, doubled or swapped letter. Never returns `name`."""
    for _ in range(8):
        choice = rng.random()
        candidate = name
        if choice < 0.4:
            options = [(a, b) for a, b in _PHONETIC if a in name]
            if options:
                a, b = options[rng.randrange(len(options))]
                at = name.find(a)
                candidate = name[:at] + b + name[at + len(a):]
        elif choice < 0.6 and len(name) > 3:
            i = rng.randrange(1, len(name) - 1)
            candidate = name[:i] + name[i + 1:]
        elif choice < 0.8:
            i = rng.randrange(1, len(name))
            candidate = name[:i] + name[i] + name[i:]
        elif len(name) > 3:
            i = rng.randrange(1, len(name) - 2)
            candidate = name[:i] + name[i + 1] + name[i] + name[i + 2:]
        if candidate != name and candidate.strip():
            return candidate
    return name + "e"


def nickname(given: str, rng: random.Random) -> str | None:
    options = NICKNAMES.get(given)
    return options[rng.randrange(len(options))] if options else None


def wrong_number(number: str, rng: random.Random) -> str:
    """A mis-remembered warrant or staff number: two digits swapped, one digit wrong, or one dropped."""
    prefix = "".join(ch for ch in number if not ch.isdigit())
    digits = list(number[len(prefix):])
    for _ in range(8):
        work = digits[:]
        choice = rng.random()
        if choice < 0.4:
            i = rng.randrange(len(work) - 1)
            work[i], work[i + 1] = work[i + 1], work[i]
        elif choice < 0.8:
            i = rng.randrange(len(work))
            work[i] = str((int(work[i]) + rng.randrange(1, 10)) % 10)
        else:
            del work[rng.randrange(len(work))]
        candidate = prefix + "".join(work)
        if candidate != number:
            return candidate
    return prefix + "".join(digits[::-1])


def pick_name(rng: random.Random, group: str, sex: str) -> tuple[str, str]:
    """A (given, family) pair for a census group and sex; mixed heritage draws from two groups' lists."""
    sex_key = "female" if sex == "female" else "male"
    if group == "mixed":
        given_group = rng.choice(["white", "black", "asian"])
        family_group = rng.choice(["white", "black"])
    elif group in FAMILY:
        given_group = family_group = group
    else:
        given_group = family_group = "white"
    given_list = GIVEN[(given_group, sex_key)]
    family_list = FAMILY[family_group]
    return given_list[rng.randrange(len(given_list))], family_list[rng.randrange(len(family_list))]
